import { createRoot } from 'react-dom/client';
import { Boot } from './boot';

const container = document.getElementById('root');
if (container) createRoot(container).render(<Boot />);
