import assert from "node:assert/strict";
import { test } from "node:test";
import { RpcCodecError } from "../../../src/rpc/errors.js";
import { escapeXmlText, parseXml, textOf, type XmlElement } from "../../../src/rpc/xml.js";

const child = (e: XmlElement, i: number) => e.children[i] as XmlElement;

test("elements, attributes, text, references, CDATA, comments and PIs", () => {
  const root = parseXml(
    `<?xml version="1.0" encoding='UTF-8'?>\n<!-- lead --><?pi data?>\n<a x="1" y='&lt;2&gt;'>t&amp;<b/><![CDATA[<raw>]]>&#65;&#x1F600;<!-- in --><c>d</c></a>\n`,
  );
  assert.equal(root.name, "a");
  assert.deepEqual(
    [...root.attributes],
    [
      ["x", "1"],
      ["y", "<2>"],
    ],
  );
  assert.equal(root.children[0], "t&");
  assert.equal(child(root, 1).name, "b");
  assert.equal(root.children[2], "<raw>A😀");
  assert.equal(textOf(child(root, 3)), "d");
});

test("line ends read as LF; a character reference keeps a CR", () => {
  assert.equal(textOf(parseXml("<a>1\r\n2\r3&#13;</a>")), "1\n2\n3\r");
});

test("prefixed names keep their prefix; Unicode names are names", () => {
  assert.equal(parseXml("<ex:nil xmlns:ex='u'/>").name, "ex:nil");
  assert.equal(parseXml("<café>x</café>").name, "café");
});

test("well-formedness errors are RpcCodecError with a position", () => {
  const bad = [
    "",
    "   ",
    "text",
    "<a>",
    "<a></b>",
    "<a><b></a></b>",
    "<a/><b/>",
    "<a/>junk",
    "<a x=1/>",
    "<a x='1' x='2'/>",
    "<a x='<'/>",
    "<a x='1'y='2'/>",
    "<a>&nbsp;</a>",
    "<a>&#1;</a>",
    "<a>&#xD800;</a>",
    "<a>&#x110000;</a>",
    "<a>& b</a>",
    "<a>]]></a>",
    "<a><!-- a -- b --></a>",
    "<a><!-- a ---></a>",
    "<a><![CDATA[x</a>",
    "<a>\u0001</a>",
    "<a>\uffff</a>",
    "<a>\ud800</a>",
    "<!DOCTYPE a><a/>",
    "<a><!DOCTYPE a></a>",
    " <?xml version='1.0'?><a/>",
    "<a/><?xml version='1.0'?>",
    "<?xml version='2'?><a/>",
    "<1a/>",
    "< a/>",
    "<a></ a>",
    "<a><?xml x?></a>",
  ];
  for (const text of bad) {
    assert.throws(
      () => parseXml(text),
      (e: unknown) =>
        e instanceof RpcCodecError &&
        e.code === "STEWARD_ERR_RPC_XML" &&
        /line \d+, column \d+/.test(e.message),
      JSON.stringify(text),
    );
  }
});

test("maxDepth bounds nesting without using the stack", () => {
  const deep = (n: number) => `${"<a>".repeat(n)}${"</a>".repeat(n)}`;
  assert.equal(parseXml(deep(256)).name, "a");
  assert.throws(() => parseXml(deep(257)), RpcCodecError);
  assert.equal(parseXml(deep(100_000), { maxDepth: 200_000 }).name, "a");
});

test("invalidChars: replace turns forbidden characters, raw or referenced, into U+FFFD", () => {
  assert.equal(
    textOf(parseXml("<a>x\u0001y&#2;z\u001b</a>", { invalidChars: "replace" })),
    "x\ufffdy\ufffdz\ufffd",
  );
});

test("escapeXmlText: Python's three escapes; forbidden characters become U+FFFD; CR is &#13;", () => {
  assert.equal(escapeXmlText("plain"), "plain");
  assert.equal(escapeXmlText("a & b < c > d \"q\" 'a'"), "a &amp; b &lt; c &gt; d \"q\" 'a'");
  assert.equal(
    escapeXmlText("\u0000\u0008\t\n\u000b\u000c\r\u001b[0m\u007f"),
    "\ufffd\ufffd\t\n\ufffd\ufffd&#13;\ufffd[0m\u007f",
  );
  assert.equal(
    escapeXmlText("\ud83d\ude00 \ud800 \udc00 \ufffe\uffff"),
    "\ud83d\ude00 \ufffd \ufffd \ufffd\ufffd",
  );
  // whatever it gets, the result parses, and reads back as the input with those replacements
  let all = "";
  for (let c = 0; c < 0x3000; c++) all += String.fromCharCode(c);
  const back = textOf(parseXml(`<a>${escapeXmlText(all)}</a>`));
  assert.equal(back, all.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "\ufffd"));
});
