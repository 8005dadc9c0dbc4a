// Renders this gateway's openapi.yaml with Swagger UI (loaded before this file).
// "Try it out" talks to the gateway serving this page, whatever `servers` says.
globalThis.SwaggerUIBundle({
  url: "/openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [globalThis.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  validatorUrl: null, // no badge fetched from elsewhere
  requestInterceptor(request) {
    const url = new URL(request.url, location.href);
    if (url.pathname !== "/openapi.yaml") request.url = location.origin + url.pathname + url.search;
    return request;
  },
});
