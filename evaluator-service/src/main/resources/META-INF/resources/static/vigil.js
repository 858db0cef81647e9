// Vigil's console enhancements; every page works without them.
// - <time datetime="..." data-local> shows the time in the browser's zone, with UTC on hover.
// - <time datetime="..." data-ago> shows "3 minutes ago" (kept fresh), with the exact local and UTC time on hover.
// - <button data-copy="text"> copies its text (the buttons are hidden until this script shows them).
// - <form data-confirm="question"> asks before it is sent.
(function () {
  "use strict";
  var units = [["year", 31536e6], ["month", 2592e6], ["day", 864e5], ["hour", 36e5], ["minute", 6e4], ["second", 1e3]];
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }) : null;
  var exact = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

  function ago(date) {
    var delta = date.getTime() - Date.now();
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(delta) >= units[i][1] || i === units.length - 1) {
        var n = Math.round(delta / units[i][1]);
        return relative ? relative.format(n, units[i][0]) : Math.abs(n) + " " + units[i][0] + "s";
      }
    }
  }

  function localise(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date)) return;
      var utc = date.toISOString().replace(".000Z", "Z").replace("T", " ") + " (UTC)";
      if (el.hasAttribute("data-ago")) {
        el.textContent = ago(date);
        el.title = exact.format(date) + "\n" + utc;
      } else if (el.hasAttribute("data-local")) {
        el.textContent = exact.format(date);
        el.title = utc;
      }
    });
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) return;
      button.hidden = false;
      if (button.dataset.bound) return;
      button.dataset.bound = "1";
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
          var label = button.textContent;
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = label; }, 1500);
        });
      });
    });
  }

  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("DOMContentLoaded", function () { localise(document); });
  document.addEventListener("htmx:load", function (event) { localise(event.detail.elt); });
  setInterval(function () { localise(document); }, 30000);
})();
