import { MessageBar, MessageBarBody } from '@fluentui/react-message-bar';
import { FluentProvider } from '@fluentui/react-provider';
import { webDarkTheme, webLightTheme } from '@fluentui/react-theme';
import { createRoot } from 'react-dom/client';
import { CreditPane, type CreditPaneProps } from './credit-pane';

/** Renders the credit pane into `host`, in Office's light or dark theme. */
export function showPane(host: HTMLElement, props: CreditPaneProps, dark: boolean): void {
  // The page around the pane (pane.css) follows Office's theme too, not only the pane's own components.
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  createRoot(host).render(
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <CreditPane {...props} />
    </FluentProvider>,
  );
}

/** Renders a sentence saying why the pane cannot open. */
export function showFailure(host: HTMLElement, message: string): void {
  createRoot(host).render(
    <FluentProvider theme={webLightTheme}>
      <MessageBar intent="error" role="alert">
        <MessageBarBody>{message}</MessageBarBody>
      </MessageBar>
    </FluentProvider>,
  );
}
