/** Where the rules' doc pages are read by default (the config's app.docBaseUrl). */
export const DOC_BASE_URL = "https://github.com/patchwarden/patchwarden/blob/main/";
