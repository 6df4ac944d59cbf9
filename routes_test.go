package aistats

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// URL templates carry the base URL's path, whatever it is, and a route's
// path is its template with the id filled in (escaped).
func TestURLTemplatesFollowBasePath(t *testing.T) {
	for _, base := range []string{"", "/v1", "/proxy/aistats/v1"} {
		tm := newURLTemplates(base, july2026{})
		assert.Equal(t, [numRoutes]string{
			base + "/management-keys", base + "/management-keys/{id}",
			base + "/keys", base + "/keys/{id}", base + "/keys/{id}/rotate",
		}, [numRoutes]string(tm))
		tm = newURLTemplates(base, march2026{})
		assert.Equal(t, base+"/management/keys/{id}", tm[routeKey])
	}
	for r := range numRoutes {
		p := r.pathOf(july2026{}, "a b")
		assert.NotContains(t, p, "{id}")
		assert.Equal(t, strings.Replace(r.template(july2026{}), "{id}", "a%20b", 1), p)
	}
}
