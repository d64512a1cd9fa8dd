package io.loomcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.loomcast.gateway.config.AuthConfig;
import io.loomcast.gateway.config.ConfigLoader;
import java.net.InetAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules as the config states them: first matching rule decides, any one check passes, reasons for refusals. */
class AuthenticatorTest {
    private static final String SECRET = "0123456789abcdef0123";
    private static final long NOW = 1_767_225_000L;
    private static final InstantSource CLOCK = InstantSource.fixed(Instant.ofEpochSecond(NOW));
    private static final Map<String, String> ENV = Map.of("PUBLISH_KEY", "k-live-1", "SIGNING_SECRET", SECRET);

    private static Authenticator rules(String authYaml) throws Exception {
        AuthConfig auth = ConfigLoader.parse("auth:\n" + authYaml.stripIndent().indent(2), "a.yaml", ENV).auth();
        return Authenticator.from(auth, new HttpCallbacks(), CLOCK);
    }

    private static AuthRequest publish(String path, String query) throws Exception {
        return request(Action.PUBLISH, path, query, "rtmp://127.0.0.1/live");
    }

    private static AuthRequest request(Action action, String path, String query, String tcUrl) throws Exception {
        int slash = path.indexOf('/');
        List<QueryArg> args = new java.util.ArrayList<>(QueryArg.parse(query));
        args.addAll(QueryArg.parse(QueryArg.queryOf(tcUrl)));
        return new AuthRequest(InetAddress.getByName("127.0.0.1"), action, path.substring(0, slash),
                path.substring(slash + 1), args, tcUrl, "", "", "FMLE/3.0");
    }

    private static final String KEYS_AND_SECRET = """
            publish:
              - app: live
                keys: ["${PUBLISH_KEY}", other-key]
                secret: ${SIGNING_SECRET}
            """;

    @Test
    void aKeyOnTheNameOrTheTcUrlPassesAndAWrongOneIsRefusedWithoutEchoingIt() throws Exception {
        Authenticator a = rules(KEYS_AND_SECRET);
        assertEquals(Decision.ALLOW, a.authenticate(publish("live/show", "key=k-live-1")));
        assertEquals(Decision.ALLOW, a.authenticate(publish("live/show", "key=other-key")));
        assertEquals(Decision.ALLOW, a.authenticate(request(Action.PUBLISH, "live/show", "",
                "rtmp://h/live?key=k-live-1")));
        Decision wrong = a.authenticate(publish("live/show", "key=k-live-2"));
        Decision.Deny deny = assertInstanceOf(Decision.Deny.class, wrong);
        assertEquals(DenyReason.WRONG_KEY, deny.reason());
        assertFalse(deny.description().contains("k-live"), deny.description());
        assertEquals(DenyReason.NO_CREDENTIALS,
                assertInstanceOf(Decision.Deny.class, a.authenticate(publish("live/show", ""))).reason());
        // A prefix of a key is not the key, nor is the key with something after it.
        assertInstanceOf(Decision.Deny.class, a.authenticate(publish("live/show", "key=k-live-")));
        assertInstanceOf(Decision.Deny.class, a.authenticate(publish("live/show", "key=k-live-11")));
    }

    @Test
    void aSignedNamePassesUntilItExpiresAndOnlyForTheStreamItSigns() throws Exception {
        Authenticator a = rules(KEYS_AND_SECRET);
        io.loomcast.gateway.config.Secret secret = new io.loomcast.gateway.config.Secret(SECRET);
        String valid = UrlSignature.query(secret, "live/show", NOW + 60);
        assertEquals(Decision.ALLOW, a.authenticate(publish("live/show", valid)));
        assertEquals(Decision.ALLOW, a.authenticate(publish("live/show", UrlSignature.query(secret, "live/show", NOW))),
                "valid through the second it names");
        assertEquals(DenyReason.SIGNATURE_EXPIRED, reason(a, publish("live/show",
                UrlSignature.query(secret, "live/show", NOW - 1))));
        assertEquals(DenyReason.BAD_SIGNATURE, reason(a, publish("live/other", valid)), "a changed name");
        assertEquals(DenyReason.BAD_SIGNATURE, reason(a, publish("live/show",
                valid.replace("expires=" + (NOW + 60), "expires=" + (NOW + 6000)))), "a changed expiry");
        assertEquals(DenyReason.BAD_SIGNATURE, reason(a, publish("live/show", "expires=" + (NOW + 60))), "no sig");
        assertEquals(DenyReason.BAD_SIGNATURE, reason(a, publish("live/show", "expires=x&sig=00")));
        assertEquals(DenyReason.BAD_SIGNATURE, reason(a, publish("live/show", "expires=" + NOW + "&sig=zz")));
        // Signed with another secret.
        String foreign = UrlSignature.query(new io.loomcast.gateway.config.Secret("another-secret-of-16+"),
                "live/show", NOW + 60);
        assertEquals(DenyReason.BAD_SIGNATURE, reason(a, publish("live/show", foreign)));
    }

    @Test
    void anyOneCheckPassesAndTheFirstCredentialOfferedNamesTheReason() throws Exception {
        Authenticator a = rules(KEYS_AND_SECRET);
        io.loomcast.gateway.config.Secret secret = new io.loomcast.gateway.config.Secret(SECRET);
        String signed = UrlSignature.query(secret, "live/show", NOW + 60);
        assertEquals(Decision.ALLOW, a.authenticate(publish("live/show", "key=wrong&" + signed)),
                "a good signature passes though the key is wrong");
        assertEquals(DenyReason.WRONG_KEY, reason(a, publish("live/show", "key=wrong&expires=1&sig=00")));
    }

    @Test
    void theFirstRuleWhoseAppMatchesDecidesAndAnAppNoRuleNamesIsOpen() throws Exception {
        Authenticator a = rules("""
                publish:
                  - app: public
                    open: true
                  - app: "*"
                    keys: [k1]
                play:
                  - app: live-*
                    keys: [p1]
                """);
        assertEquals(Decision.ALLOW, a.authenticate(publish("public/x", "")));
        assertEquals(DenyReason.NO_CREDENTIALS, reason(a, publish("live/x", "")));
        assertEquals(Decision.ALLOW, a.authenticate(publish("live/x", "key=k1")));
        assertEquals(Decision.ALLOW, a.authenticate(request(Action.PLAY, "live/x", "", "")), "no play rule for live");
        assertEquals(DenyReason.WRONG_KEY, reason(a, request(Action.PLAY, "live-2/x", "key=k1", "")));
        assertEquals(Decision.ALLOW, a.authenticate(request(Action.PLAY, "live-2/x", "key=p1", "")));
        assertTrue(a.ruleFor(Action.PUBLISH, "anything").isPresent());
        assertTrue(a.ruleFor(Action.PLAY, "live").isEmpty(), "live-* needs the dash");
    }

    @Test
    void noAuthSectionLetsEveryoneInAndAddressesFollowDenyThenAllow() throws Exception {
        Authenticator open = Authenticator.from(AuthConfig.OPEN, new HttpCallbacks(), CLOCK);
        assertEquals(Decision.ALLOW, open.authenticate(publish("live/x", "")));
        Authenticator a = rules("""
                allow: [127.0.0.0/8, "::1/128"]
                deny: [127.0.0.2/32]
                """);
        assertTrue(a.addresses().admits(InetAddress.getByName("127.0.0.1")));
        assertTrue(a.addresses().admits(InetAddress.getByName("::1")));
        assertFalse(a.addresses().admits(InetAddress.getByName("127.0.0.2")), "deny wins over allow");
        assertFalse(a.addresses().admits(InetAddress.getByName("10.1.2.3")), "not in allow");
        assertFalse(a.addresses().admits(InetAddress.getByName("::2")));
        Authenticator denyOnly = rules("deny: [10.0.0.0/8]\n");
        assertTrue(denyOnly.addresses().admits(InetAddress.getByName("192.168.1.1")));
        assertFalse(denyOnly.addresses().admits(InetAddress.getByName("10.200.0.1")));
    }

    @Test
    void theSignatureIsHmacSha256OfAppNameColonExpiresInLowercaseHex() {
        // Made with: printf 'live/show:1767225600' | openssl dgst -sha256 -hmac '0123456789abcdef0123' -hex
        assertEquals("expires=1767225600&sig=4ddd41549a1000e0a064b025c9d91e654edd0d0e9f0aeaf9b988d94a2c1dd1d4",
                UrlSignature.query(new io.loomcast.gateway.config.Secret(SECRET), "live/show", 1_767_225_600L));
    }

    @Test
    void queryArgumentsArePercentDecodedAndPrintMasked() {
        List<QueryArg> args = QueryArg.parse("key=a%2Bb+c&flag&&x=%zz");
        assertEquals(List.of(new QueryArg("key", "a+b+c"), new QueryArg("flag", ""), new QueryArg("x", "%zz")), args);
        assertEquals("[key=***, flag=***, x=***]", args.toString());
        assertEquals("a=b", QueryArg.queryOf("rtmp://h/live?a=b"));
        assertEquals("", QueryArg.queryOf("rtmp://h/live"));
    }

    @Test
    void aRequestPrintsNoArgumentValueNorTheTcUrlsKey() throws Exception {
        String printed = request(Action.PUBLISH, "live/show", "key=k-live-1", "rtmp://h/live?key=k-live-1").toString();
        assertFalse(printed.contains("k-live-1"), printed);
        assertTrue(printed.contains("live/show"), printed);
    }

    private static DenyReason reason(Authenticator a, AuthRequest r) {
        return assertInstanceOf(Decision.Deny.class, a.authenticate(r), r.toString()).reason();
    }
}
