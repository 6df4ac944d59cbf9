package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// baseline is what a Go engineer writes by hand against the API: no
// retries, no buffering, json.Decoder straight off the body.
type baseline struct {
	hc      *http.Client
	baseURL string
	auth    string
}

// baseKey is the detail shape of GET /management/keys/{id}.
type baseKey struct {
	ID          string     `json:"id"`
	Name        string     `json:"name"`
	Prefix      string     `json:"prefix"`
	Status      string     `json:"status"`
	Scopes      string     `json:"scopes"`
	TeamID      string     `json:"team_id"`
	CreatedBy   string     `json:"created_by"`
	SoftBlocked bool       `json:"soft_blocked"`
	CreatedAt   time.Time  `json:"created_at"`
	LastUsedAt  *time.Time `json:"last_used_at"`
}

type basePage struct {
	OK     bool      `json:"ok"`
	Limit  int       `json:"limit"`
	Offset int       `json:"offset"`
	Total  int       `json:"total"`
	Keys   []baseKey `json:"keys"`
}

func newBaseline(hc *http.Client, baseURL, key string) *baseline {
	return &baseline{hc: hc, baseURL: baseURL, auth: "Bearer " + key}
}

// getJSON sends one GET and decodes a 200 answer into out.
func (c *baseline) getJSON(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

func (c *baseline) Get(ctx context.Context, id string) (*baseKey, error) {
	var env struct {
		OK  bool    `json:"ok"`
		Key baseKey `json:"key"`
	}
	if err := c.getJSON(ctx, c.baseURL+"/management/keys/"+url.PathEscape(id), &env); err != nil {
		return nil, err
	}
	return &env.Key, nil
}

func (c *baseline) List(ctx context.Context, limit, offset int) (*basePage, error) {
	q := url.Values{}
	q.Set("limit", strconv.Itoa(limit))
	q.Set("offset", strconv.Itoa(offset))
	var page basePage
	if err := c.getJSON(ctx, c.baseURL+"/management/keys?"+q.Encode(), &page); err != nil {
		return nil, err
	}
	return &page, nil
}

// Walk pages by offset until a short page or the total, calling fn for
// every key; each page is dropped once walked.
func (c *baseline) Walk(ctx context.Context, limit int, fn func(*baseKey)) error {
	for offset := 0; ; {
		page, err := c.List(ctx, limit, offset)
		if err != nil {
			return err
		}
		for i := range page.Keys {
			fn(&page.Keys[i])
		}
		offset += len(page.Keys)
		if len(page.Keys) < limit || offset >= page.Total {
			return nil
		}
	}
}
