import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { FieldApp } from './FieldApp';
import { i18n } from '../i18n';
import './field.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from field/index.html');

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <FieldApp />
    </I18nextProvider>
  </StrictMode>,
);
