package aistatstest

import (
	"time"

	"github.com/ai-stats/aistats-go"
)

// Client returns an aistats.Client pointed at the server with its
// ManagementKey and API version, and millisecond retry waits, so tests
// that exercise retries stay fast. It still honours Retry-After hints of
// up to 10s, so the presets (RateLimited(1, "1"), RetryAfterDate) are
// waited out and retried as a production client would. A server made by
// NewClient is reached through its HTTPClient (in memory). opts are
// applied last and win.
func (s *Server) Client(opts ...aistats.Option) (*aistats.Client, error) {
	base := []aistats.Option{
		aistats.WithBaseURL(s.URL),
		aistats.WithAPIKey(s.ManagementKey),
		aistats.WithAPIVersion(s.version),
		aistats.WithRetryWait(time.Millisecond, 5*time.Millisecond),
		aistats.WithMaxRetryAfter(10 * time.Second),
	}
	if s.ts == nil {
		base = append(base, aistats.WithHTTPClient(s.mem))
	}
	return aistats.NewClient(append(base, opts...)...)
}
