package auth

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/incassobot/incassobot/casestore"
	"github.com/trustelem/zxcvbn"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
)

// Cost is the bcrypt work factor for new password hashes. 12 takes about a
// quarter of a second on a server core: slow enough that a stolen hash
// table is expensive to attack, fast enough for a login. Tests lower it
// (bcrypt.MinCost) before hashing anything; production never changes it.
var Cost = 12

const (
	// MinPasswordLen is the shortest password HashPassword takes, in
	// characters: length is what makes a password hard to guess.
	MinPasswordLen = 12
	// MaxPasswordBytes is bcrypt's limit: it ignores every byte after the
	// 72nd, so a longer password is refused rather than cut silently.
	MaxPasswordBytes = 72
)

// ErrPasswordTooShort and ErrPasswordTooLong say why HashPassword refused
// a password; both wrap casestore.ErrInvalid.
var (
	ErrPasswordTooShort = fmt.Errorf("password is shorter than %d characters: %w", MinPasswordLen, casestore.ErrInvalid)
	ErrPasswordTooLong  = fmt.Errorf("password is longer than %d bytes, the most bcrypt uses: %w", MaxPasswordBytes, casestore.ErrInvalid)
)

// HashPassword returns the bcrypt hash of pw at Cost, what
// casestore.User.PasswordHash keeps. The errors never contain pw.
func HashPassword(pw string) (string, error) {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return "", ErrPasswordTooShort
	case len(pw) > MaxPasswordBytes:
		return "", ErrPasswordTooLong
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), Cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// passwordMatches reports whether pw is the password behind hash: a bcrypt
// hash as HashPassword makes, or an argon2id hash in the PHC format that
// the store also accepts (accounts imported from elsewhere). A password
// longer than bcrypt's limit never matches, so that a hash can never be
// opened by a longer string that merely starts with the password.
func passwordMatches(hash, pw string) bool {
	if strings.HasPrefix(hash, "$argon2id$") {
		ok, err := argon2idMatches(hash, pw)
		return err == nil && ok
	}
	if len(pw) > MaxPasswordBytes {
		// Still do the work, so the answer takes as long as any other.
		_ = bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw[:MaxPasswordBytes]))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// argon2idMatches checks pw against "$argon2id$v=19$m=M,t=T,p=P$salt$key"
// (unpadded standard base64, as the reference implementation writes it).
func argon2idMatches(hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false, errors.New("argon2id: unsupported hash format or version")
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("argon2id: parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(strings.TrimRight(parts[4], "="))
	if err != nil {
		return false, fmt.Errorf("argon2id: salt: %w", err)
	}
	want, err := b64.DecodeString(strings.TrimRight(parts[5], "="))
	if err != nil {
		return false, fmt.Errorf("argon2id: key: %w", err)
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHashes holds, per cost, the hash an unknown e-mail address is
// checked against, so that "no such user" costs as much time as "wrong
// password" and the timing does not tell which addresses have accounts.
var dummyHashes sync.Map // int → string

func dummyHash() string {
	cost := Cost
	if h, ok := dummyHashes.Load(cost); ok {
		return h.(string)
	}
	h, err := bcrypt.GenerateFromPassword([]byte("no such user: compare anyway"), cost)
	if err != nil {
		// Only an invalid Cost gets here; fall back to a fixed valid hash.
		return "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
	}
	dummyHashes.Store(cost, string(h))
	return string(h)
}

// MinPasswordScore is the least zxcvbn score (0–4) a new password needs:
// 3 is "safely unguessable" against an attacker who can try 10^8 guesses
// offline (a stolen hash), beyond anything the login limits let through.
const MinPasswordScore = 3

// ErrPasswordTooCommon: the password is in, or made from, the lists of
// common passwords, words, names and keyboard patterns zxcvbn knows (a
// well-kept estimator, not a list of our own), or from the user's own
// address or name. Wraps casestore.ErrInvalid.
var ErrPasswordTooCommon = fmt.Errorf("password is too easy to guess (a common password, word, name, date or keyboard pattern, or your own name or address): choose a longer phrase of unrelated words: %w", casestore.ErrInvalid)

// NewPasswordHash is HashPassword for a password a person chooses (a new
// account, a password change): it must also resist guessing as zxcvbn
// estimates it, counting the user's e-mail address and name (userInputs)
// as known words. The errors never contain pw.
func NewPasswordHash(pw string, userInputs ...string) (string, error) {
	if utf8.RuneCountInString(pw) >= MinPasswordLen && len(pw) <= MaxPasswordBytes {
		var inputs []string
		for _, s := range userInputs {
			s = strings.ToLower(s)
			// The address's parts separately too: "anna" of anna@incasso.example.
			inputs = append(inputs, s)
			inputs = append(inputs, strings.FieldsFunc(s, func(r rune) bool { return r == '@' || r == '.' || r == ' ' })...)
		}
		if zxcvbn.PasswordStrength(pw, inputs).Score < MinPasswordScore {
			return "", ErrPasswordTooCommon
		}
	}
	return HashPassword(pw)
}
