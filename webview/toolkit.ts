// The ONLY module that imports @vscode/webview-ui-toolkit. The toolkit is deprecated upstream; keeping
// it behind this file means a move to @vscode-elements/elements changes one file (plus tag names).
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
