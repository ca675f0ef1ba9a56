// @scapkit/viewer, Node entry: the loopback server behind `scapkit view` and the helpers around it. The
// page itself (src/web, src/model) is built into dist/web/index.html by scripts/build.mjs.
export { type Alert, type EventJudge, parseAlerts, rfc3339ToNs } from '../model/alerts.js';
export { canOpenBrowser, openBrowser } from './browser.js';
export {
  builtPagePath,
  PageNotBuiltError,
  startViewerServer,
  type ViewerServer,
  type ViewerServerOptions,
} from './server.js';
