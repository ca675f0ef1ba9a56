// Entry of the page bundle: mounts the App.
import { render } from 'preact';
import { App } from './app.js';

render(<App />, document.getElementById('app')!);
