// Renderer entry: styles, then the app once core is reachable (monaco loads when an editor first shows; the
// profile form's chunk is fetched now, while boot waits on core).
import './app/styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { boot } from './app/boot';
import { prefetchProfileForm } from './app/lazy-views';

createRoot(document.getElementById('root')!).render(<App />);
void boot();
prefetchProfileForm();
