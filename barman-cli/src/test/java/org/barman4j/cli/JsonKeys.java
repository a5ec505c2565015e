package org.barman4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The key paths of a JSON document ({@code a.b[].c}), read by Python's {@code json} module: the document must
 * parse, and two outputs can be compared for the keys they carry whatever their values.
 */
final class JsonKeys {
  private static final String SCRIPT = String.join("\n",
      "import json, sys",
      "def walk(v, path, out):",
      "    if isinstance(v, dict):",
      "        for k, x in v.items():",
      "            p = path + '.' + ('S' if path == '' and k not in ('_INFO', '_WARNING', '_ERROR') else k)",
      "            out.add(p)",
      "            walk(x, p, out)",
      "    elif isinstance(v, list):",
      "        for x in v:",
      "            walk(x, path + '[]', out)",
      "out = set()",
      "walk(json.loads(sys.stdin.read()), '', out)",
      "print('\\n'.join(sorted(out)))");

  private JsonKeys() {}

  /** The sorted key paths of {@code json}, server names replaced by {@code S}. */
  static List<String> of(String json) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT).redirectErrorStream(true).start();
    p.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new AssertionError("not JSON: " + json + "\n" + out);
    }
    return out.lines().toList();
  }
}
