// Renderer entry: styles, then the app once core is reachable (monaco loads when an editor first shows).
import './app/styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { boot } from './app/boot';

createRoot(document.getElementById('root')!).render(<App />);
void boot();
