import { routeLabel, STATIC_ROUTE, statusClass, UNMATCHED_ROUTE } from './route-label';

describe('routeLabel', () => {
  it('keeps the pattern of an API route, with its parameters unfilled', () => {
    expect(routeLabel('/api/reports/:id')).toBe('/api/reports/:id');
    expect(routeLabel('/api/work-orders/:id/pdf')).toBe('/api/work-orders/:id/pdf');
    expect(routeLabel('/api')).toBe('/api');
  });

  it('gives one label to requests no route took', () => {
    expect(routeLabel(undefined)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('')).toBe(UNMATCHED_ROUTE);
  });

  it("gives one label to all of the SPA's files", () => {
    expect(routeLabel('/assets/index-3f9a1c.js')).toBe(STATIC_ROUTE);
    expect(routeLabel('/favicon.svg')).toBe(STATIC_ROUTE);
    expect(routeLabel('/apiary')).toBe(STATIC_ROUTE);
  });
});

describe('statusClass', () => {
  it('names the class of a status code', () => {
    expect([200, 204, 304, 401, 404, 429, 500, 503].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '4xx', '4xx', '5xx', '5xx']);
    expect(statusClass(0)).toBe('other');
  });
});
