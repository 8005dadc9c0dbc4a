/**
 * The startup failure lines, for the errors a process test cannot provoke
 * everywhere (as root, permission bits do not apply): each names the
 * variable to change. The process tests run the real cases they can.
 */
import { startupFailure } from "../gateway/_startup.ts";
import { assertEquals, assertMatch } from "./assert.ts";

const settings = { dataDir: "/srv/aw", port: 80, hostname: "0.0.0.0" };

Deno.test("a privileged port names HTTP_PORT", () => {
  const error = new Deno.errors.PermissionDenied("Permission denied (os error 13)");
  assertEquals(
    startupFailure(error, "listen", settings),
    "HTTP_PORT 80 needs privileges this process does not have (ports below 1024); use a port from 1024 up",
  );
});

Deno.test("a DATA_DIR the operating system refuses names DATA_DIR and the permission", () => {
  const error = new Deno.errors.PermissionDenied(
    "Permission denied (os error 13): mkdir '/srv/aw'",
  );
  for (const stage of ["data", "create"] as const) {
    assertEquals(
      startupFailure(error, stage, settings),
      "DATA_DIR /srv/aw cannot be used: permission denied (Permission denied (os error 13): mkdir '/srv/aw'); the gateway's user must be able to read and write it",
    );
  }
});

Deno.test("a read-only file system names DATA_DIR", () => {
  const error = new Error("Read-only file system (os error 30): open '/srv/aw/.write-probe-1'");
  assertEquals(
    startupFailure(error, "data", settings),
    "DATA_DIR /srv/aw cannot be used: Read-only file system (os error 30): open '/srv/aw/.write-probe-1'",
  );
});

Deno.test("a failure creating the gateway that is not the file system's is said as it is", () => {
  const error = new Error("connect ECONNREFUSED 127.0.0.1:6379\n    at somewhere");
  assertEquals(
    startupFailure(error, "create", settings),
    "could not start: connect ECONNREFUSED 127.0.0.1:6379",
  );
});

Deno.test("a host name that does not resolve names LISTEN_ADDR", () => {
  const error = new Error("failed to lookup address information: Name or service not known");
  assertEquals(
    startupFailure(error, "listen", { ...settings, hostname: "gateway.internal" }),
    "LISTEN_ADDR gateway.internal is not a host name this machine resolves (failed to lookup address information: Name or service not known); use an IP address such as 0.0.0.0",
  );
});

Deno.test("an address that is not this machine's names LISTEN_ADDR", () => {
  const line = startupFailure(
    new Deno.errors.AddrNotAvailable("Cannot assign requested address (os error 99)"),
    "listen",
    { hostname: "203.0.113.9", port: 8100, dataDir: "./data" },
  );
  assertMatch(line, /^LISTEN_ADDR 203\.0\.113\.9 is not an address of this machine/);
});
