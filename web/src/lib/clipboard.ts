// Copying a one-time secret (a link, a stream key) to the clipboard, also on plain HTTP inside a county intranet.

/** Clipboard API where the page is a secure context; otherwise the old select-and-copy. */
export async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* permission refused: try the fallback */
  }
  if (!input) return false;
  input.focus();
  input.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
