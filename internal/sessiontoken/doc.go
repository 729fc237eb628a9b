// Package sessiontoken issues and verifies the temporary credentials of STS
// sessions without any database: everything a request made with session
// credentials needs (who the session is, its secret, expiry, session
// policies and tags) is sealed with AES-256-GCM into the session token
// itself, under a key of a small key ring kept in the data directory.
//
// A token is base64(version || key id || nonce || ciphertext). The header
// (version and key id) is authenticated as additional data, and the claims
// carry the access key id the token was issued with, so a token only works
// with its own ASIA… key. Secrets (the ring's keys and the session's secret
// access key) are never logged and never appear in an error.
package sessiontoken
