/** A task's final summary as HTML: Markdown rendered by marked, then sanitized by DOMPurify (agents' text is untrusted). */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

export function markdownToSafeHtml(text) {
  return DOMPurify.sanitize(marked.parse(text, { async: false, gfm: true }));
}
