package aistats

import (
	"strconv"
	"strings"
	"time"
)

// The result types print as one readable line under %s and %v (so go vet
// accepts Printf("%s", key)), with secrets redacted and server text made
// printable. Fields left at their zero value are omitted. Every value goes
// through serverText: it was sent by a server (or set by hand), so it is
// masked if it looks like a credential and shown as one printable line.

// String implements fmt.Stringer.
func (k Key) String() string { return k.line("aistats.Key").close() }

// line renders the key's fields after "name{".
func (k *Key) line(name string) *line {
	b := new(line)
	b.open(name)
	b.field("ID", k.ID)
	b.quoted("Name", k.Name)
	b.field("Status", string(k.Status))
	b.field("Prefix", k.Prefix)
	if k.Scopes != nil {
		b.field("Scopes", "["+strings.Join(k.Scopes, " ")+"]")
	}
	b.field("WorkspaceID", k.WorkspaceID)
	if k.SoftBlocked {
		b.field("SoftBlocked", "true")
	}
	b.time("CreatedAt", &k.CreatedAt)
	b.time("ExpiresAt", k.ExpiresAt)
	b.time("LastUsedAt", k.LastUsedAt)
	return b
}

// String implements fmt.Stringer; the secret is redacted.
func (c CreatedKey) String() string {
	b := c.Key.line("aistats.CreatedKey")
	b.secret(c.Secret)
	return b.close()
}

// String implements fmt.Stringer.
func (k APIKey) String() string { return k.line("aistats.APIKey").close() }

// line renders the key's fields after "name{".
func (k *APIKey) line(name string) *line {
	b := new(line)
	b.open(name)
	b.field("ID", k.ID)
	b.quoted("Name", k.Name)
	b.field("Status", string(k.Status))
	b.field("Prefix", k.Prefix)
	if k.Disabled {
		b.field("Disabled", "true")
	}
	if k.SoftBlocked {
		b.field("SoftBlocked", "true")
	}
	if k.Limit != nil {
		b.field("Limit", "$"+strconv.FormatFloat(*k.Limit, 'f', -1, 64)+"/"+string(k.LimitReset))
	}
	b.time("CreatedAt", &k.CreatedAt)
	b.time("ExpiresAt", k.ExpiresAt)
	b.time("LastUsedAt", k.LastUsedAt)
	return b
}

// String implements fmt.Stringer; the secret is redacted.
func (c CreatedAPIKey) String() string {
	b := c.APIKey.line("aistats.CreatedAPIKey")
	b.secret(c.Secret)
	return b.close()
}

// String implements fmt.Stringer; the secret is redacted.
func (r RotatedAPIKey) String() string {
	b := r.APIKey.line("aistats.RotatedAPIKey")
	b.secret(r.Secret)
	b.time("PreviousKeyExpiresAt", r.PreviousKeyExpiresAt)
	return b.close()
}

// String implements fmt.Stringer: the page's window, not its keys.
func (p KeyPage) String() string {
	return pageString("aistats.KeyPage", len(p.Keys), p.Limit, p.Offset, p.Total)
}

// String implements fmt.Stringer: the page's window, not its keys.
func (p APIKeyPage) String() string {
	return pageString("aistats.APIKeyPage", len(p.Keys), p.Limit, p.Offset, p.Total)
}

func pageString(name string, n, limit, offset, total int) string {
	var b line
	b.open(name)
	b.field("Keys", strconv.Itoa(n))
	b.field("Limit", strconv.Itoa(limit))
	b.field("Offset", strconv.Itoa(offset))
	b.field("Total", strconv.Itoa(total))
	return b.close()
}

// line builds "Type{A: x, B: y}".
type line struct {
	b strings.Builder
	n int
}

func (l *line) open(name string) { l.b.WriteString(name + "{") }

func (l *line) field(name, v string) {
	if v == "" {
		return
	}
	if l.n > 0 {
		l.b.WriteString(", ")
	}
	l.n++
	l.b.WriteString(name + ": " + (*scrubber)(nil).serverText(v, lineText, 0))
}

// secret shows a secret's redacted form, even when it is empty.
func (l *line) secret(s Secret) {
	if l.n > 0 {
		l.b.WriteString(", ")
	}
	l.n++
	l.b.WriteString("Secret: " + s.Redacted())
}

// quoted masks a credential before quoting: the quote's escapes could
// split it.
func (l *line) quoted(name, v string) {
	if v != "" {
		l.field(name, strconv.Quote((*scrubber)(nil).serverText(v, keptText, 0)))
	}
}

func (l *line) time(name string, t *time.Time) {
	if t != nil && !t.IsZero() {
		l.field(name, t.UTC().Format(time.RFC3339))
	}
}

func (l *line) close() string { return l.b.String() + "}" }
