package aistats

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzMintSnippet: a mint answer's DecodeError snippet never contains the
// plaintext it carries, however the rest of the body looks.
func FuzzMintSnippet(f *testing.F) {
	f.Add(`{"data":{"id":"x",`, "phaseo_v1_sk_Q7xk2Pa9LmZt_Xy3kP9qR2sT5vW8zB1cD4fG7hJ0kM3nP6rS9uV2w", `}}`)
	f.Add(`{"ok":true,"key":{"name":"n",`, "sk-live-abcdef0123456789", `,"created_at":12}}`)
	f.Add(`{"data":{"message":"`, "secret-in-a-message", `","x":1}}`)
	for _, s := range hostileSeeds(f) {
		f.Add(`{"data":{"name":`+jsonString(s)+`,"label":`+jsonString(s)+`,`, julySecret, `,"message":`+jsonString(s)+`}}`)
		f.Add(`{"ok":true,"key":{"id":`+jsonString(s)+`,`, plaintextKey, `,"KEY":"","created_at":`+jsonString(s)+`}}`)
	}
	f.Fuzz(func(t *testing.T, prefix, secret, suffix string) {
		if len(secret) < 8 || strings.ContainsAny(secret, `"\`) || !utf8.ValidString(secret) {
			return
		}
		esc, _ := json.Marshal(secret)
		body := prefix + `"key":` + string(esc) + suffix
		if !json.Valid([]byte(body)) {
			return
		}
		if p, _ := salvageMint([]byte(body)); p != secret {
			return // the fuzz body put "key" somewhere the SDK does not read it
		}
		if s := string(publicShape([]byte(body), 512, (*scrubber)(nil).with(NewSecret(secret)))); strings.Contains(s, secret) {
			t.Fatalf("snippet %q holds the plaintext", s)
		}
	})
}

// A Create or Rotate answer echoing the client's key, or someone else's,
// in a public field: the DecodeError snippet showed public fields without
// the scrubber.
func TestMintSnippetScrubsPublicFields(t *testing.T) {
	t.Parallel()
	for name, echo := range map[string]string{
		"client key":         otherFormatKey,
		"client key cut":     otherFormatKey[:16],
		"other sk":           hostileOtherSK,
		"other mk":           hostileOtherMK,
		"other 2026-03 key":  hostileOtherAIStats,
		"inside a sentence":  "Key " + hostileOtherSK + " rotated",
		"after a word char ": "token_" + hostileOtherSK,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			body := strings.Replace(julyAPIKeyCreated, `"name": "CI pipeline"`, `"name": `+jsonString(echo), 1)
			body = strings.Replace(body, `"updated_at": null`, `"updated_at": 12`, 1) // breaks the decode after the secret
			rotated := strings.Replace(julyRotated, `"label": "CI pipeline"`, `"label": `+jsonString(echo), 1)
			rotated = strings.Replace(rotated, `"updated_at": null`, `"updated_at": 12`, 1)
			srv := newTestServer(t, jsonReply(201, body), jsonReply(200, rotated))
			c := otherFormatClient(t, srv.BaseURL())
			created, err := c.APIKeys.Create(context.Background(), &CreateAPIKeyParams{Name: "n"})
			if created == nil || created.Secret.Reveal() != julySecret || !isKeyCreated(err) {
				t.Fatalf("want the key with a KeyCreated DecodeError, got %v, %v", created, err)
			}
			leakCheck(t, "create", err, echo)
			leakCheck(t, "create", err, echo[len(echo)-12:])
			r, err := c.APIKeys.Rotate(context.Background(), julyAPIKeyID, nil)
			if r == nil || !isKeyCreated(err) {
				t.Fatalf("want the key with a KeyCreated DecodeError, got %v", err)
			}
			leakCheck(t, "rotate", err, echo)
			leakCheck(t, "rotate", err, echo[len(echo)-12:])
		})
	}
}
