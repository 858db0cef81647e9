package io.vigil.evaluator.rest;

import static io.vigil.evaluator.rest.Admin.full;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vigil.testkit.KafkaResource;
import io.vigil.testkit.PostgresResource;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every way a request can be wrong is a problem+json answer: validation names the bad field in
 * {@code errors[]}, and no answer carries a Java class name or a stack frame, whatever the input.
 * {@code {monitor}} and {@code {channel}} in a path stand for ones made for this test.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = NotifierStandIn.class, restrictToAnnotatedClass = false)
class ErrorInputsTest {

    /** A qualified class name (java.util.UUID, io.vigil.evaluator.rest.Input) or a stack frame. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(?i)\\b(java|javax|jakarta|io|org|com|sun)\\.[a-z0-9_]+\\.[\\w.$]*|\\bat [\\w.$]+\\(|exception|caused by|"
                    + "jackson|hibernate|resteasy|vertx|quarkus|\\.java:");
    private static final String SCHEDULE = "\"schedule\":{\"type\":\"interval\",\"every\":\"PT5M\"}";

    private static String monitor;
    private static String channel;

    @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            POST  | /api/v1/monitors | {"name":5,%s}                                       | 400 | name
            POST  | /api/v1/monitors | {"name":true,"schedule":"daily"}                    | 400 | schedule
            POST  | /api/v1/monitors | {"name":"x",%s,"tags":"prod"}                       | 400 | tags
            POST  | /api/v1/monitors | {"name":"x",%s,"tags":[1,{}]}                       | 400 | tags[0]
            POST  | /api/v1/monitors | {"name":"x",%s,"channels":[5]}                      | 400 | channels[0]
            POST  | /api/v1/monitors | {"name":"x",%s,"channels":["not-a-uuid"]}          | 400 | channels[0]
            POST  | /api/v1/monitors | {"name":"x",%s,"grace":true}                        | 400 | grace
            POST  | /api/v1/monitors | {"name":"x",%s,"grace":"PT99999999999999999H"}      | 400 | grace
            POST  | /api/v1/monitors | {"name":"x",%s,"maxRuntime":-1}                     | 400 | maxRuntime
            POST  | /api/v1/monitors | {"name":"x",%s,"bogus":1}                           | 400 | bogus
            POST  | /api/v1/monitors | {"name":"x",%s,"Name":"y"}                          | 400 | Name
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":"weekly"}}           | 400 | schedule.type
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":5}}                  | 400 | schedule.type
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":"interval","every":{}}}           | 400 | schedule.every
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":"cron","expression":"a b c d e"}}  | 400 | schedule.expression
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":"cron","expression":"L W # ? *"}}  | 400 | schedule.expression
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":"cron","expression":"0 0 * * * * * *"}} | 400 | schedule.expression
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":"cron","expression":"0 3 * * *","timezone":"Mars/Olympus"}} | 400 | schedule.timezone
            POST  | /api/v1/monitors | {"name":"x","schedule":{"type":"cron","expression":"0 3 * * *","timezone":7}} | 400 | schedule.timezone
            POST  | /api/v1/monitors | {"name":"x",%s,"slug":"Not A Slug"}                 | 400 | slug
            POST  | /api/v1/monitors | {"name":"x",%s,"token":"short"}                     | 400 | token
            PUT   | /api/v1/monitors/{monitor} | {"name":[],%s}                            | 400 | name
            PATCH | /api/v1/monitors/{monitor} | {"grace":5}                               | 400 | grace
            PATCH | /api/v1/monitors/{monitor} | {"schedule":{"type":"interval","every":"PT0S"}} | 400 | schedule.every
            POST  | /api/v1/channels | {"name":"x","type":"pager","config":{}}             | 400 | type
            POST  | /api/v1/channels | {"name":"x","type":7,"config":{}}                   | 400 | type
            POST  | /api/v1/channels | {"name":"x","type":"slack","config":"x"}            | 400 | config
            POST  | /api/v1/channels | {"name":"x","type":"slack","config":{"webhookUrl":5}} | 400 | config.webhookUrl
            POST  | /api/v1/channels | {"name":"x","type":"email","config":{"to":["ops@example.com"]},"notifyOn":["MAYBE"]} | 400 | notifyOn
            POST  | /api/v1/channels | {"name":"x","type":"email","config":{"to":["ops@example.com"]},"remindEvery":[]}    | 400 | remindEvery
            PATCH | /api/v1/channels/{channel} | {"type":"fax"}                            | 400 | type
            POST  | /api/v1/api-keys | {"name":"k","access":"admin"}                       | 400 | access
            POST  | /api/v1/api-keys | {"name":["k"],"access":"full"}                      | 400 | name
            POST  | /api/v1/api-keys | {"name":"k","access":"full","bogus":true}           | 400 | bogus
            GET   | /api/v1/monitors?status=SIDEWAYS                  | | 400 | status
            GET   | /api/v1/monitors?limit=501                        | | 400 | limit
            GET   | /api/v1/monitors?limit=-1                         | | 400 | limit
            GET   | /api/v1/monitors?limit=0                          | | 400 | limit
            GET   | /api/v1/monitors?limit=ten                        | | 400 | limit
            GET   | /api/v1/monitors?limit=99999999999999999999       | | 400 | limit
            GET   | /api/v1/monitors?cursor=garbage!                  | | 400 | cursor
            GET   | /api/v1/monitors?cursor=eHx5fHo                   | | 400 | cursor
            GET   | /api/v1/channels?cursor=dHxub3R8YS11dWlk          | | 400 | cursor
            GET   | /api/v1/api-keys?limit=-5                         | | 400 | limit
            GET   | /api/v1/monitors/{monitor}/pings?limit=9999       | | 400 | limit
            GET   | /api/v1/monitors/{monitor}/pings?cursor=bnxhYmM   | | 400 | cursor
            GET   | /api/v1/monitors/{monitor}/notifications?limit=x  | | 400 | limit
            GET   | /api/v1/monitors/{monitor}/flips?since=yesterday  | | 400 | since
            GET   | /api/v1/monitors/{monitor}/flips?since=2026-13-45T99:00:00Z | | 400 | since
            POST  | /api/v1/monitors             | {                                       | 400 |
            PUT   | /api/v1/monitors/{monitor}   | [1,2]                                   | 400 |
            PATCH | /api/v1/channels/{channel}   | {"name":                                | 400 |
            POST  | /api/v1/api-keys             | {"name":"a"}{"name":"b"}                | 400 |
            GET   | /api/v1/monitors/not-a-uuid                        | | 404 |
            GET   | /api/v1/monitors/{monitor}/pings/abc/body          | | 404 |
            GET   | /api/v1/monitors/{monitor}/pings/99999999999999999999/body | | 404 |
            DELETE| /api/v1/channels/not-a-uuid                        | | 404 |
            DELETE| /api/v1/api-keys/1234                              | | 404 |
            POST  | /api/v1/monitors/00000000-0000-0000-0000-000000000000/pause | | 404 |
            """)
    void everyBadInputIsAProblemWithoutInternals(String method, String path, String body, int status, String field) {
        RequestSpecification request = full();
        if (body != null) {
            request.contentType("application/json").body(body.contains("%s") ? body.formatted(SCHEDULE) : body);
        }
        Response answer = request.urlEncodingEnabled(false).request(method, fixtures(path));
        String text = answer.asString();
        assertThat(answer.statusCode()).as(text).isEqualTo(status);
        assertThat(answer.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(answer.jsonPath().getInt("status")).isEqualTo(status);
        assertThat(answer.jsonPath().getString("type")).startsWith("urn:vigil:problem:");
        assertThat(answer.jsonPath().getString("title")).isNotBlank();
        assertThat(answer.jsonPath().getString("detail")).isNotBlank();
        assertThat(INTERNALS.matcher(text).find()).as(text).isFalse();
        List<String> fields = answer.jsonPath().getList("errors.field");
        if (field != null) {
            assertThat(fields).as(text).contains(field);
            assertThat(answer.jsonPath().getList("errors.message", String.class)).allSatisfy(m -> assertThat(m).isNotBlank());
        }
    }

    private static String fixtures(String path) {
        if (path.contains("{monitor}") && monitor == null) {
            monitor = Admin.createMonitor(Map.of()).getString("id");
        }
        if (path.contains("{channel}") && channel == null) {
            channel = Admin.createEmailChannel();
        }
        return path.replace("{monitor}", String.valueOf(monitor)).replace("{channel}", String.valueOf(channel));
    }
}
