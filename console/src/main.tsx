import { render } from 'preact';
import { App } from './views/app';
import './views/styles.css';

render(<App />, document.getElementById('root')!);
