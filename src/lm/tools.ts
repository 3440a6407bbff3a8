// VS Code's tools → the API's `tools`. The API wants function names matching
// ^[a-zA-Z_][a-zA-Z0-9_-]{2,63}$ and a parameters schema of type object; VS Code and MCP tools may
// have other names (dots, short names), so names are made valid the same way every time and mapped
// back when the model calls them.
import type { Tool } from '../kimi/types';

export interface ToolInfo {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

const VALID = /^[a-zA-Z_][a-zA-Z0-9_-]{2,63}$/;

/** The API name for a tool name (unchanged when already valid). Deterministic: replayed calls map the same. */
export function apiToolName(name: string): string {
  if (VALID.test(name)) return name;
  let n = name.replace(/[^a-zA-Z0-9_-]/g, '_');
  if (!/^[a-zA-Z_]/.test(n)) n = `_${n}`;
  while (n.length < 3) n += '_';
  return n.slice(0, 64);
}

export class ToolNames {
  readonly #back = new Map<string, string>();

  constructor(tools: readonly ToolInfo[]) {
    for (const t of tools) {
      const api = apiToolName(t.name);
      const other = this.#back.get(api);
      if (other !== undefined && other !== t.name) {
        throw new Error(`The tools "${other}" and "${t.name}" have the same name for the Kimi API (${api}); rename one of them.`);
      }
      this.#back.set(api, t.name);
    }
  }

  /** The VS Code name of a tool the model called (its own name if not one of ours). */
  original(apiName: string): string {
    return this.#back.get(apiName) ?? apiName;
  }
}

export function apiTools(tools: readonly ToolInfo[]): Tool[] {
  return tools.map((t) => ({
    type: 'function',
    function: {
      name: apiToolName(t.name),
      description: t.description,
      parameters: objectSchema(t.inputSchema),
    },
  }));
}

/** The API wants an object schema at the root; tools without input get an empty one. */
function objectSchema(schema: object | undefined): Record<string, unknown> {
  const s = schema as Record<string, unknown> | undefined;
  if (s && s.type === 'object') return s;
  if (s && s.type === undefined && typeof s.properties === 'object') return { ...s, type: 'object' };
  return { type: 'object', properties: {} };
}
