package org.barman4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretRedactorTest {
  private static final SecretRedactor NONE = SecretRedactor.of(Set.of());

  @Test
  void s3CanonicalRequestAuthorizationAndPresignedQueries() {
    assertThat(NONE.redact("x-amz-security-token:FwoGZXIvYXdzEXAMPLE\nx-amz-date:20261203T120000Z\n"))
        .isEqualTo("x-amz-security-token:****\nx-amz-date:20261203T120000Z\n");
    assertThat(NONE.redact("Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261203/us-east-1/s3/aws4_request,"
        + " SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef next"))
        .isEqualTo("Authorization: AWS4-HMAC-SHA256 **** next");
    assertThat(NONE.redact("{Authorization=[AWS4-HMAC-SHA256 Credential=A/B, SignedHeaders=h, Signature=ab12], Host=[x]}"))
        .isEqualTo("{Authorization=[AWS4-HMAC-SHA256 ****], Host=[x]}");
    assertThat(NONE.redact("GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F2026&X-Amz-Security-Token=tok"
        + "&X-Amz-Signature=deadbeef HTTP/1.1"))
        .isEqualTo("GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=****&X-Amz-Security-Token=****"
            + "&X-Amz-Signature=**** HTTP/1.1");
  }

  @Test
  void azureSasSharedKeyAndConnectionStrings() {
    assertThat(NONE.redact("PUT https://a.blob.core.windows.net/c/k?sv=2023-11-03&sig=abc%2Fdef%3D&se=2030"))
        .isEqualTo("PUT https://a.blob.core.windows.net/c/k?sv=2023-11-03&sig=****&se=2030");
    assertThat(NONE.redact("Authorization:SharedKey devstoreaccount1:Zm9vYmFyYmF6cXV4"))
        .isEqualTo("Authorization:SharedKey ****");
    assertThat(NONE.redact("DefaultEndpointsProtocol=http;AccountName=a;AccountKey=Zm9vYmFy==;BlobEndpoint=http://x"))
        .isEqualTo("DefaultEndpointsProtocol=http;AccountName=a;AccountKey=****;BlobEndpoint=http://x");
    assertThat(NONE.redact("BlobEndpoint=http://x;SharedAccessSignature=sv=2023&sig=abc"))
        .doesNotContain("abc");
  }

  @Test
  void googleBearerTokensAccessTokensAssertionsAndPrivateKeys() {
    assertThat(NONE.redact("-------------- REQUEST  --------------\nAuthorization: Bearer ya29.a0AfH6SMBexample"))
        .endsWith("Authorization: Bearer ****");
    assertThat(NONE.redact("{\"access_token\" : \"ya29.a0AfH6SMBexample\", \"expires_in\" : 3599}"))
        .isEqualTo("{\"access_token\" : \"****\", \"expires_in\" : 3599}");
    assertThat(NONE.redact("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJhbGciOi.eyJpc3Mi.c2ln"))
        .isEqualTo("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=****");
    assertThat(NONE.redact("\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----\\n\""))
        .doesNotContain("MIIEvQ").doesNotContain("BEGIN PRIVATE KEY");
  }

  @Test
  void literalSecretsFromTheEnvironmentInEveryEncoding() {
    SecretRedactor redactor = SecretRedactor.fromEnvironment(Map.of(
        "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCY",
        "AZURE_STORAGE_SAS_TOKEN", "?sv=2023-11-03&ss=b&sig=QmFzZTY0U2lnbmF0dXJl%2B%3D",
        "AZURE_STORAGE_CONNECTION_STRING", "AccountName=a;AccountKey=S2V5S2V5S2V5S2V5==;BlobEndpoint=http://x",
        "HOME", "/root"));
    assertThat(redactor.redact("key wJalrXUtnFEMI/K7MDENG+bPxRfiCY and wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCY"))
        .isEqualTo("key **** and ****");
    assertThat(redactor.redact("token sv=2023-11-03&ss=b&sig=QmFzZTY0U2lnbmF0dXJl%2B%3D")).isEqualTo("token ****");
    assertThat(redactor.redact("signature QmFzZTY0U2lnbmF0dXJl+= seen")).isEqualTo("signature **** seen");
    assertThat(redactor.redact("key S2V5S2V5S2V5S2V5== seen")).isEqualTo("key **** seen");
    assertThat(redactor.redact("/root stays")).isEqualTo("/root stays");
  }

  @Test
  void ordinaryTextIsLeftAlone() {
    String text = "ERROR: The request signature we calculated does not match the signature you provided (s3://b/p)";
    assertThat(NONE.redact(text)).isEqualTo(text);
    assertThat(NONE.redact("Signed headers: host;x-amz-date")).isEqualTo("Signed headers: host;x-amz-date");
  }

  @Test
  void theStreamRedactsWholeLinesWhateverTheWritesAndKeepsOtherBytes() throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    RedactingOutputStream redacting = new RedactingOutputStream(sink, SecretRedactor.of(Set.of("s3cr3t-value")));
    PrintStream out = new PrintStream(redacting, true, StandardCharsets.UTF_8);
    out.print("données s3cr");
    out.flush(); // a flush in the middle of a secret passes nothing on
    assertThat(sink.size()).isZero();
    out.print("3t-value x-amz-security-token:abc\npartial s3cr3t-value");
    out.flush();
    redacting.drain();
    assertThat(sink.toString(StandardCharsets.UTF_8))
        .isEqualTo("données **** x-amz-security-token:****\npartial ****");
  }
}
