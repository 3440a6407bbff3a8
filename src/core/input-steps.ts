// A short wizard of input boxes (as in VS Code's quick-input sample): "1/3", Back to the previous
// step with its value kept, Escape cancels the whole input.
import type * as vscode from 'vscode';
import { dialogs } from './dialogs';

/** The accepted values, one per step, or undefined when the user cancelled. */
export async function askInSteps(steps: readonly vscode.InputBoxOptions[]): Promise<string[] | undefined> {
  const values: Array<string | undefined> = steps.map((s) => s.value);
  let i = 0;
  while (i < steps.length) {
    const answer = await dialogs.step({ ...steps[i], value: values[i], step: i + 1, totalSteps: steps.length });
    if (answer === undefined) return undefined;
    if (typeof answer !== 'string') {
      i = Math.max(0, i - 1);
      continue;
    }
    values[i] = answer;
    // The box accepts only valid values; an answer from elsewhere is checked again, and asked again.
    if (!(await steps[i].validateInput?.(answer))) i++;
  }
  return values as string[];
}
