package io.podfleet.platform.json;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The server reads request bodies with the record constructor handles, and a refused body still names its field. */
class ServerJsonTest extends ServerTest {

    @Autowired
    JsonMapper json;

    @Test
    void theServersMapperBuildsRecordsThroughTheHandles() throws Exception {
        assertThat(json.registeredModules()).anyMatch(m -> m instanceof RecordConstructors);
        HttpResponse<String> wrongType = send("POST", "/api/v1/enrollment-tokens", ADMIN_TOKEN, "{\"ttl\":{\"a\":1}}");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
    }
}
