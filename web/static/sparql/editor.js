// A small offline SPARQL editor: a textarea over a highlighted copy of its text.
// The tokens mirror graph/guard.py's lexer: comments, strings, IRIs, variables, prefixed names, keywords.
(function () {
  "use strict";
  var KEYWORDS = ("SELECT ASK CONSTRUCT DESCRIBE WHERE PREFIX BASE FROM NAMED GRAPH OPTIONAL UNION MINUS FILTER " +
    "BIND VALUES SERVICE SILENT DISTINCT REDUCED AS GROUP BY HAVING ORDER ASC DESC LIMIT OFFSET EXISTS NOT IN " +
    "UNDEF COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE " +
    "RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE " +
    "STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 " +
    "COALESCE IF STRLANG STRDT SAMETERM ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE TRUE FALSE A"
  ).split(" ");
  var KEYWORD_SET = {};
  KEYWORDS.forEach(function (k) { KEYWORD_SET[k] = true; });
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                                          // 1 comment
    "('''[\\s\\S]*?'''|\"\"\"[\\s\\S]*?\"\"\"|'(?:[^'\\\\\\n]|\\\\.)*'|\"(?:[^\"\\\\\\n]|\\\\.)*\")", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                                            // 3 IRI
    "([?$][\\w\\u00B7\\u00C0-\\uFFFF]+)",                                  // 4 variable
    "((?:[A-Za-z\\u00C0-\\uFFFF][\\w\\-.\\u00C0-\\uFFFF]*)?:[\\w\\-.:%\\u00C0-\\uFFFF]*)", // 5 prefixed name
    "(@[A-Za-z]+(?:-[A-Za-z0-9]+)*)",                                      // 6 language tag
    "([+-]?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)",                           // 7 number
    "([A-Za-z_]\\w*)"                                                      // 8 word
  ].join("|"), "g");
  var CLASSES = [null, "c", "s", "i", "v", "p", "l", "n", "w"];

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    var out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex++; continue; }
      out += escapeHtml(text.slice(last, m.index));
      var cls = null;
      for (var g = 1; g < CLASSES.length; g++) {
        if (m[g] !== undefined) { cls = CLASSES[g]; break; }
      }
      if (cls === "w") cls = KEYWORD_SET[m[0].toUpperCase()] ? "k" : null;
      out += cls ? '<span class="rq-' + cls + '">' + escapeHtml(m[0]) + "</span>" : escapeHtml(m[0]);
      last = TOKEN.lastIndex;
    }
    return out + escapeHtml(text.slice(last)) + "\n";
  }

  function attach(textarea) {
    var wrap = document.createElement("div");
    wrap.className = "rq-editor";
    var pre = document.createElement("pre");
    pre.className = "rq-highlight";
    pre.setAttribute("aria-hidden", "true");
    var code = document.createElement("code");
    pre.appendChild(code);
    textarea.parentNode.insertBefore(wrap, textarea);
    wrap.appendChild(pre);
    wrap.appendChild(textarea);
    textarea.classList.add("rq-input");
    textarea.spellcheck = false;
    function sync() {
      code.innerHTML = highlight(textarea.value);
      pre.scrollTop = textarea.scrollTop;
      pre.scrollLeft = textarea.scrollLeft;
    }
    textarea.addEventListener("input", sync);
    textarea.addEventListener("scroll", function () {
      pre.scrollTop = textarea.scrollTop;
      pre.scrollLeft = textarea.scrollLeft;
    });
    textarea.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && textarea.form) {
        e.preventDefault();
        textarea.form.submit();
      } else if (e.key === "Tab" && !e.shiftKey) {
        e.preventDefault();
        var start = textarea.selectionStart;
        textarea.setRangeText("  ", start, textarea.selectionEnd, "end");
        sync();
      }
    });
    sync();
  }

  window.rectigraphHighlight = highlight;
  document.addEventListener("DOMContentLoaded", function () {
    var editors = document.querySelectorAll("textarea[data-sparql-editor]");
    for (var i = 0; i < editors.length; i++) attach(editors[i]);
    var blocks = document.querySelectorAll("pre[data-sparql] code");
    for (var j = 0; j < blocks.length; j++) blocks[j].innerHTML = highlight(blocks[j].textContent);
  });
})();
