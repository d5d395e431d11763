// Renderer entry: styles, monaco environment, then the app once core is reachable.
import './app/styles.css';
import './ui/monaco';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { boot } from './app/boot';

createRoot(document.getElementById('root')!).render(<App />);
void boot();
