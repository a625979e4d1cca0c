// Templates are tagged strings (htm) over Preact: no compile step of their own, so esbuild bundles the sources as they are.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
