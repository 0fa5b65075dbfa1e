/** Sets the browser tab title for the page being shown. */
export function setPageTitle(title: string): void {
  document.title = title ? `${title} · Rowan` : 'Rowan';
}
