// The ONLY module that imports @vscode/webview-ui-toolkit. The toolkit is deprecated upstream; keeping
// it behind this file means a move to @vscode-elements/elements changes this one file.
import {
  provideVSCodeDesignSystem,
  vsCodeButton,
  vsCodeDropdown,
  vsCodeOption,
  vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

/** Registers the custom elements the panel uses: vscode-button, -dropdown, -option, -text-field. */
export function registerToolkit(): void {
  provideVSCodeDesignSystem().register(
    vsCodeButton(),
    vsCodeDropdown(),
    vsCodeOption(),
    vsCodeTextField(),
  );
}

/** The element names the panel builds with; the rest of the webview never spells a toolkit tag. */
export const ui = {
  button: 'vscode-button',
  dropdown: 'vscode-dropdown',
  option: 'vscode-option',
  textField: 'vscode-text-field',
} as const;
