package aistatstest

import (
	"time"

	"github.com/ai-stats/aistats-go"
)

// Client returns an aistats.Client pointed at the server with its API key
// and API version, and millisecond retry waits, so tests that exercise
// retries stay fast. opts are applied last and win.
func (s *Server) Client(opts ...aistats.Option) (*aistats.Client, error) {
	base := []aistats.Option{
		aistats.WithBaseURL(s.URL),
		aistats.WithAPIKey(s.APIKey),
		aistats.WithAPIVersion(s.version),
		aistats.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		// TODO(core): add aistats.WithMaxRetryAfter(10*time.Second), so that a
		// RateLimited(n, "1") fault is waited out instead of failing at once.
	}
	return aistats.NewClient(append(base, opts...)...)
}
