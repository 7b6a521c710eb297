// The public eligibility page, its JSON API and the QR poster (served by bot/http/public-routes.ts).
export { createPublicSite, kfLinkFromDb, type PublicSite, type PublicSiteDeps } from './site.js';
export { renderEligibilityPage, pageHeaders } from './page.js';
export { renderPoster, qrSvg } from './poster.js';
export { searchCertificates, checkQuestion, Q_MAX_CHARS } from './search.js';
export { publicLists, resolvePublicRegion, type PublicCertificate, type PublicLists, type PublicRegion } from './content.js';
export { certificateBlock, resultBlock, esc } from './html.js';
