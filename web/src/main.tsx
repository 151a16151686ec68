import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { Provider } from 'urql';
import { createClient } from './client';
import { createLiveConnection, LiveConnectionContext } from './live/connection';
import { armChimeOnFirstGesture } from './live/chime';
import { App } from './App';
import './styles.css';

const live = createLiveConnection();
armChimeOnFirstGesture();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <LiveConnectionContext.Provider value={live}>
      <Provider value={createClient(() => window.location.assign('/'), live)}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </Provider>
    </LiveConnectionContext.Provider>
  </StrictMode>,
);
