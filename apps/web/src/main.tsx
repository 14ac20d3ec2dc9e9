import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';

// A page of an older build that asks for a chunk the new build no longer has (after an update) reloads once
// onto the new build instead of showing a broken page.
window.addEventListener('vite:preloadError', (event) => {
  const last = Number(sessionStorage.getItem('xf.reloadedForUpdate') ?? 0);
  if (Date.now() - last < 10_000) return;
  event.preventDefault();
  sessionStorage.setItem('xf.reloadedForUpdate', String(Date.now()));
  location.reload();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
