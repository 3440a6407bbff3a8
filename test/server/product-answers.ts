// Canned answers that look like the product (the test server is what a user without a key sees
// first), still fully deterministic: Explain Selection gets a short explanation of the code, Generate
// at Cursor / Edit Selection (recognised by the system message src/editor/messages.ts sends) a small
// code block in the file's language, and thinking models a short reasoning about the task.
import type { ChatMessage } from '../../src/kimi/types';
import { contentText } from './answers';

interface CodeRequest {
  kind: 'generate' | 'edit';
  fileName: string;
  language: string;
  selected?: string;
}

interface ExplainRequest {
  fileName: string;
  language: string;
  code: string;
}

const GENERATE = /^You write code that is inserted at the cursor in the file `([^`]*)` \(language: ([^)]*)\)/;
const EDIT = /^You rewrite the selected code in the file `([^`]*)` \(language: ([^)]*)\)/;
const EXPLAIN = /^Explain this code from `([^`]*)` \(([^)]*)\):\n\n(`{3,})[^\n]*\n([\s\S]*?)\n\3\s*$/;

function fencedAfter(text: string, label: string): string | undefined {
  const at = text.indexOf(`${label}\n\n`);
  if (at < 0) return undefined;
  const m = /^(`{3,})[^\n]*\n([\s\S]*?)\n\1(?!`)/.exec(text.slice(at + label.length + 2));
  return m?.[2];
}

export function codeRequest(messages: readonly ChatMessage[]): CodeRequest | undefined {
  const system = messages.find((m) => m.role === 'system');
  const text = system ? contentText(system.content) : '';
  const generate = GENERATE.exec(text);
  if (generate) return { kind: 'generate', fileName: generate[1]!, language: generate[2]! };
  const edit = EDIT.exec(text);
  if (edit) return { kind: 'edit', fileName: edit[1]!, language: edit[2]!, selected: fencedAfter(text, 'The selected code:') ?? '' };
  return undefined;
}

export function explainRequest(question: string): ExplainRequest | undefined {
  const m = EXPLAIN.exec(question);
  return m ? { fileName: m[1]!, language: m[2]!, code: m[4]! } : undefined;
}

const HASH_COMMENT = new Set(['python', 'ruby', 'shellscript', 'yaml', 'perl', 'r', 'dockerfile', 'makefile', 'powershell', 'toml', 'elixir', 'julia']);
const DASH_COMMENT = new Set(['sql', 'lua', 'haskell']);

function comment(language: string, text: string): string {
  if (HASH_COMMENT.has(language)) return `# ${text}`;
  if (DASH_COMMENT.has(language)) return `-- ${text}`;
  if (['html', 'xml', 'markdown', 'vue', 'svelte'].includes(language)) return `<!-- ${text} -->`;
  if (['css', 'scss', 'less'].includes(language)) return `/* ${text} */`;
  return `// ${text}`;
}

const STOP = new Set(['a', 'an', 'the', 'to', 'of', 'for', 'that', 'which', 'and', 'or', 'in', 'on', 'with', 'add', 'write', 'create',
  'make', 'please', 'function', 'method', 'code', 'me', 'some', 'new', 'it', 'this', 'is']);

/** A camelCase name from the instruction's first meaningful words ("sum a list of numbers" → sumList). */
export function nameFor(instruction: string): string {
  const words = instruction.toLowerCase().match(/[a-z][a-z0-9]*/g)?.filter((w) => !STOP.has(w)).slice(0, 2) ?? [];
  if (words.length === 0) return 'helper';
  return words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A small, valid-looking function in the language, documented with the instruction. */
function snippet(language: string, instruction: string): string {
  const name = nameFor(instruction);
  const doc = instruction.split('\n')[0]!.slice(0, 80);
  switch (language) {
    case 'typescript':
    case 'typescriptreact':
      return `/** ${doc} */\nexport function ${name}(input: string): string {\n  return input.trim();\n}`;
    case 'javascript':
    case 'javascriptreact':
      return `/** ${doc} */\nexport function ${name}(input) {\n  return input.trim();\n}`;
    case 'python':
      return `def ${snake(name)}(value: str) -> str:\n    """${doc}"""\n    return value.strip()`;
    case 'go':
      return `// ${name} ${doc}\nfunc ${name}(input string) string {\n\treturn strings.TrimSpace(input)\n}`;
    case 'rust':
      return `/// ${doc}\npub fn ${snake(name)}(input: &str) -> &str {\n    input.trim()\n}`;
    case 'java':
    case 'csharp':
      return `/** ${doc} */\npublic static String ${name}(String input) {\n    return input.trim();\n}`;
    case 'shellscript':
      return `# ${doc}\n${snake(name)}() {\n  printf '%s\\n' "$1"\n}`;
    default:
      return `${comment(language, doc)}\n${comment(language, `${name}: written by the Kimi test server`)}`;
  }
}

export function codeAnswer(req: CodeRequest, instruction: string): string {
  const code = req.kind === 'edit'
    ? `${comment(req.language, instruction.split('\n')[0]!.slice(0, 80))}\n${req.selected ?? ''}`
    : snippet(req.language, instruction);
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${req.language}\n${code}\n${fence}\n`;
}

const DECLARATION = /\b(function|def|class|interface|type|fn|func|const|let|var)\s+([A-Za-z_$][\w$]*)/g;

export function explainAnswer(req: ExplainRequest): string {
  const lines = req.code.split('\n').length;
  const names = [...req.code.matchAll(DECLARATION)].slice(0, 4).map((m) => `- \`${m[2]}\`: a ${m[1] === 'def' || m[1] === 'fn' || m[1] === 'func' ? 'function' : m[1]}`);
  const returned = /\breturn\s+([^;\n]+)/.exec(req.code)?.[1]?.trim();
  return [
    `This ${req.language} code from \`${req.fileName}\` is ${lines} ${lines === 1 ? 'line' : 'lines'} long.`,
    '',
    ...(names.length ? ['It declares:', '', ...names, ''] : []),
    returned ? `It returns \`${returned}\`, and nothing else happens as a side effect.` : 'It runs its statements in order.',
    '',
    '(An explanation from the Kimi test server: it reads the code\'s shape, not its meaning.)',
    '',
  ].join('\n');
}

/** A thinking model's reasoning about the task, before its answer. */
export function productReasoning(messages: readonly ChatMessage[], question: string): string | undefined {
  const code = codeRequest(messages);
  if (code) {
    return code.kind === 'edit'
      ? `The user wants the selection in ${code.fileName} changed: "${question}". I keep the code's style and reply with only the new code.`
      : `The user wants new ${code.language} code at the cursor in ${code.fileName}: "${question}". One small function is enough.`;
  }
  const explain = explainRequest(question);
  if (explain) return `The user selected ${explain.code.split('\n').length} lines of ${explain.language}. I will say what they declare and return.`;
  return undefined;
}
