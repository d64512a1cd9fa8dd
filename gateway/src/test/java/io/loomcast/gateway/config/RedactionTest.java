package io.loomcast.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rtmp://a.rtmp.youtube.com/live2/abcd-1234              | rtmp://a.rtmp.youtube.com/live2/***
            rtmps://live-api-s.facebook.com:443/rtmp/FB-123?s_bl=1  | rtmps://live-api-s.facebook.com:443/rtmp/***?s_bl=***
            rtmp://h/live/key?token=abc&sig=def                     | rtmp://h/live/***?token=***&sig=***
            rtmp://h/live/key?justatoken                            | rtmp://h/live/***?***
            rtmp://user:pass@h:1935/live/key                        | rtmp://***@h:1935/live/***
            rtmp://h/app/instance/key                               | rtmp://h/app/instance/***
            rtmp://h/live?token=abc/key                             | rtmp://h/live?token=***
            rtmp://origin/live                                      | rtmp://origin/live
            rtmp://origin/live/                                     | rtmp://origin/live/
            rtmp://origin                                           | rtmp://origin
            rtmp://[::1]:1935/live/key                              | rtmp://[::1]:1935/live/***
            rtmp://backup/live/{name}                               | rtmp://backup/live/***
            not a url with a key                                    | ***
            ''                                                      | ***
            """)
    void hidesKeysTokensAndCredentials(String url, String redacted) {
        assertEquals(redacted, Redaction.url(url));
    }
}
