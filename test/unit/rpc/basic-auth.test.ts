import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { basicAuthHeader, checkBasicAuth, passwordMatches, safeEqual } from "../../../src/rpc/basic-auth.js";

const sha = (s: string) => `{SHA}${createHash("sha1").update(s, "utf8").digest("hex")}`;

test("cleartext and {SHA} passwords", () => {
  const clear = { username: "user", password: "pässword" };
  assert.deepEqual(checkBasicAuth(basicAuthHeader("user", "pässword"), clear), {
    ok: true,
    username: "user",
  });
  assert.deepEqual(checkBasicAuth(basicAuthHeader("user", "wrong"), clear), { ok: false, status: 401 });
  assert.deepEqual(checkBasicAuth(basicAuthHeader("other", "pässword"), clear), { ok: false, status: 401 });
  const hashed = { username: "user", password: sha("test") };
  assert.equal(hashed.password, "{SHA}a94a8fe5ccb19ba61c4c0873d391e987982fbbd3");
  assert.deepEqual(checkBasicAuth(basicAuthHeader("user", "test"), hashed), { ok: true, username: "user" });
  assert.deepEqual(checkBasicAuth(basicAuthHeader("user", hashed.password), hashed), {
    ok: false,
    status: 401,
  });
  assert.ok(passwordMatches(hashed.password.toUpperCase().replace("{SHA}", "{SHA}"), "test"));
  // a password may hold colons: only the first one separates the user name
  assert.ok(checkBasicAuth(basicAuthHeader("u", "a:b"), { username: "u", password: "a:b" }).ok);
});

test("missing, non-Basic and malformed headers", () => {
  const creds = { username: "u", password: "p" };
  assert.deepEqual(checkBasicAuth(undefined, creds), { ok: false, status: 401 });
  assert.deepEqual(checkBasicAuth("Basic", creds), { ok: false, status: 401 });
  assert.deepEqual(checkBasicAuth("Bearer abc", creds), { ok: false, status: 401 });
  assert.deepEqual(checkBasicAuth("Digest username=u", creds), { ok: false, status: 401 });
  assert.ok(checkBasicAuth(`bAsIc ${Buffer.from("u:p").toString("base64")}`, creds).ok);
  assert.deepEqual(checkBasicAuth("Basic dTo", creds), { ok: false, status: 400 }); // missing padding
  assert.deepEqual(checkBasicAuth("Basic dTo=", creds), { ok: false, status: 401 }); // "u:" decodes
  assert.deepEqual(checkBasicAuth(`Basic ${Buffer.from([0xff, 0x3a]).toString("base64")}`, creds), {
    ok: false,
    status: 400,
  });
  assert.deepEqual(checkBasicAuth(`Basic ${Buffer.from("nocolon").toString("base64")}`, creds), {
    ok: false,
    status: 401,
  });
});

test("safeEqual compares whole strings of any length", () => {
  assert.ok(safeEqual("", ""));
  assert.ok(safeEqual("abc", "abc"));
  assert.ok(!safeEqual("abc", "abcd"));
  assert.ok(!safeEqual("abc", "abd"));
});
