// The page is one static HTML file with inline script and style; esbuild inlines it as a string.
import html from './page.html' with { type: 'text' };

/** The whole dashboard page, served as is. */
export const PAGE_HTML: string = html;
