// Package config reads the processor's configuration from the environment.
//
// Variable names and defaults follow commercetools' connector templates, so a deployment
// configured for them works here. Every problem is reported at once, at start.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is the processor's validated configuration.
type Config struct {
	// Host and Port are where the HTTP server listens (HOST, PORT). An empty host means
	// every interface; port 0 asks the system for a free port.
	Host string
	Port int

	// Commercetools holds the CTP_* settings.
	Commercetools Commercetools

	// SessionCacheTTL is how long a verified Checkout session is trusted before the
	// Session API is asked again (SESSION_CACHE_TTL, milliseconds; 0 asks every time).
	SessionCacheTTL time.Duration

	// HealthCheckTimeout bounds the deep status checks (HEALTH_CHECK_TIMEOUT, milliseconds).
	HealthCheckTimeout time.Duration
	// LogLevel is the lowest level logged (LOGGER_LEVEL).
	LogLevel slog.Level
	// MaxRequestBodyBytes bounds request bodies (MAX_REQUEST_BODY_BYTES).
	MaxRequestBodyBytes int64
	// MerchantReturnURL is where shoppers go after an offsite payment when the session
	// names no merchantReturnUrl (MERCHANT_RETURN_URL). Empty when unset.
	MerchantReturnURL string
	// ProcessorURL is the processor's public URL, which offsite payment pages send the
	// shopper back to when the session names no processorUrl (PROCESSOR_URL).
	ProcessorURL string

	// PSP and GiftCardProvider name the adapters of package providers/registry (PSP,
	// GIFT_CARD_PROVIDER; "mock" by default, "none" turns gift cards off).
	PSP, GiftCardProvider string
	// RequestBudget bounds the work of one request (REQUEST_BUDGET): every request is
	// answered within it, well before the server's write timeout.
	RequestBudget time.Duration
	// ReconcileAfter is how old an unsettled transaction must be before the reconciler
	// looks it up at its provider (RECONCILE_AFTER).
	ReconcileAfter time.Duration
	// ReconcileInterval is how often the processor runs the reconciler
	// (RECONCILE_INTERVAL; 0 disables it).
	ReconcileInterval time.Duration

	// Mock holds the settings of the mock PSP and mock gift-card provider.
	Mock Mock
	// StoredPaymentMethods holds the stored-payment-methods feature switches.
	StoredPaymentMethods StoredPaymentMethods
	// PurchaseOrderTypeKey is the key of the payment custom type holding purchase-order
	// fields (TYPE_DEFINITION_KEY).
	PurchaseOrderTypeKey string
}

// Commercetools is how the processor reaches commercetools.
type Commercetools struct {
	ProjectKey   string // CTP_PROJECT_KEY
	ClientID     string // CTP_CLIENT_ID; empty selects local mode
	ClientSecret Secret // CTP_CLIENT_SECRET
	AuthURL      string // CTP_AUTH_URL
	APIURL       string // CTP_API_URL
	SessionURL   string // CTP_SESSION_URL
	CheckoutURL  string // CTP_CHECKOUT_URL
	JWKSURL      string // CTP_JWKS_URL
	JWTIssuer    string // CTP_JWT_ISSUER
}

// Mock configures the mock providers.
type Mock struct {
	ClientKey   string // MOCK_CLIENT_KEY, handed to the enabler
	Environment string // MOCK_ENVIRONMENT, handed to the enabler
	Currency    string // MOCK_CONNECTOR_CURRENCY, the gift cards' currency
}

// StoredPaymentMethods configures the stored-payment-methods feature.
type StoredPaymentMethods struct {
	Enabled          bool   // STORED_PAYMENT_METHODS_ENABLED
	PaymentInterface string // STORED_PAYMENT_METHODS_PAYMENT_INTERFACE
	InterfaceAccount string // STORED_PAYMENT_METHODS_INTERFACE_ACCOUNT
}

// Local reports whether no commercetools credentials are configured, in which case the
// processor runs against its embedded commercetools emulator.
func (c Config) Local() bool { return c.Commercetools.ClientID == "" }

// Addr is the listen address for net.Listen.
func (c Config) Addr() string { return c.Host + ":" + strconv.Itoa(c.Port) }

// Secret is a configuration value that must never be printed or logged.
type Secret string

// String hides the value.
func (Secret) String() string { return "REDACTED" }

// LogValue hides the value from log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// Reveal returns the value, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }

// Defaults of the templates (europe-west1 region).
const (
	defaultProjectKey  = "payment-integration"
	defaultAuthURL     = "https://auth.europe-west1.gcp.commercetools.com"
	defaultAPIURL      = "https://api.europe-west1.gcp.commercetools.com"
	defaultSessionURL  = "https://session.europe-west1.gcp.commercetools.com"
	defaultCheckoutURL = "https://checkout.europe-west1.gcp.commercetools.com"
	defaultJWKSURL     = "https://mc-api.europe-west1.gcp.commercetools.com/.well-known/jwks.json"
	defaultJWTIssuer   = "https://mc-api.europe-west1.gcp.commercetools.com"
)

var (
	projectKeyPattern = regexp.MustCompile(`^[a-z0-9_-]{2,36}$`)
	currencyPattern   = regexp.MustCompile(`^[A-Z]{3}$`)
)

// Load reads the configuration through getenv (os.Getenv in production). It returns every
// problem found, joined, rather than the first.
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		Host: r.str("HOST", ""),
		Port: r.integer("PORT", 8080, 0, 65535),
		Commercetools: Commercetools{
			ProjectKey:   r.str("CTP_PROJECT_KEY", defaultProjectKey),
			ClientID:     r.str("CTP_CLIENT_ID", ""),
			ClientSecret: Secret(r.str("CTP_CLIENT_SECRET", "")),
			AuthURL:      r.baseURL("CTP_AUTH_URL", defaultAuthURL),
			APIURL:       r.baseURL("CTP_API_URL", defaultAPIURL),
			SessionURL:   r.baseURL("CTP_SESSION_URL", defaultSessionURL),
			CheckoutURL:  r.baseURL("CTP_CHECKOUT_URL", defaultCheckoutURL),
			JWKSURL:      r.absoluteURL("CTP_JWKS_URL", defaultJWKSURL),
			JWTIssuer:    r.str("CTP_JWT_ISSUER", defaultJWTIssuer),
		},
		HealthCheckTimeout:  time.Duration(r.integer("HEALTH_CHECK_TIMEOUT", 5000, 1, 600000)) * time.Millisecond,
		SessionCacheTTL:     time.Duration(r.integer("SESSION_CACHE_TTL", 10000, 0, 300000)) * time.Millisecond,
		LogLevel:            r.level("LOGGER_LEVEL", slog.LevelInfo),
		MaxRequestBodyBytes: int64(r.integer("MAX_REQUEST_BODY_BYTES", 64<<10, 1<<10, 16<<20)),
		MerchantReturnURL:   r.absoluteURL("MERCHANT_RETURN_URL", ""),
		ProcessorURL:        r.baseURL("PROCESSOR_URL", ""),
		PSP:                 r.str("PSP", "mock"),
		GiftCardProvider:    r.str("GIFT_CARD_PROVIDER", "mock"),
		RequestBudget:       r.duration("REQUEST_BUDGET", 20*time.Second, time.Second, MaxRequestBudget),
		ReconcileAfter:      r.duration("RECONCILE_AFTER", 2*time.Minute, time.Millisecond, 24*time.Hour),
		ReconcileInterval:   r.duration("RECONCILE_INTERVAL", time.Minute, 0, 24*time.Hour),
		Mock: Mock{
			ClientKey:   r.str("MOCK_CLIENT_KEY", ""),
			Environment: r.str("MOCK_ENVIRONMENT", ""),
			Currency:    r.str("MOCK_CONNECTOR_CURRENCY", "EUR"),
		},
		StoredPaymentMethods: StoredPaymentMethods{
			Enabled:          r.boolean("STORED_PAYMENT_METHODS_ENABLED", false),
			PaymentInterface: r.str("STORED_PAYMENT_METHODS_PAYMENT_INTERFACE", "psp-template"),
			InterfaceAccount: r.str("STORED_PAYMENT_METHODS_INTERFACE_ACCOUNT", ""),
		},
		PurchaseOrderTypeKey: r.str("TYPE_DEFINITION_KEY", "payment-launchpad-purchase-order"),
	}

	ct := c.Commercetools
	if !projectKeyPattern.MatchString(ct.ProjectKey) {
		r.fail("CTP_PROJECT_KEY", "must be 2 to 36 lower-case letters, digits, '-' or '_'")
	}
	if ct.ClientID != "" && ct.ClientSecret == "" {
		r.fail("CTP_CLIENT_SECRET", "is required when CTP_CLIENT_ID is set")
	}
	if ct.ClientID == "" && ct.ClientSecret != "" {
		r.fail("CTP_CLIENT_ID", "is required when CTP_CLIENT_SECRET is set")
	}
	if ct.JWTIssuer == "" {
		r.fail("CTP_JWT_ISSUER", "must not be empty")
	}
	if !currencyPattern.MatchString(c.Mock.Currency) {
		r.fail("MOCK_CONNECTOR_CURRENCY", "must be an ISO 4217 code in capitals, such as EUR")
	}
	return c, errors.Join(r.errs...)
}

// MaxRequestBudget is the largest REQUEST_BUDGET: the HTTP server's write timeout
// (WriteTimeout) must stay above every answer.
const MaxRequestBudget = 45 * time.Second

// WriteTimeout is the HTTP server's write timeout.
const WriteTimeout = 60 * time.Second

// duration reads a duration, given as a Go duration ("2m", "90s", "1500ms") or as a
// number of milliseconds, between lowest and highest.
func (r *reader) duration(name string, def, lowest, highest time.Duration) time.Duration {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		ms, convErr := strconv.ParseInt(v, 10, 64)
		if convErr != nil {
			r.fail(name, fmt.Sprintf("must be a duration such as 90s or 2m, or milliseconds; got %q", v))
			return def
		}
		d = time.Duration(ms) * time.Millisecond
	}
	if d < lowest || d > highest {
		r.fail(name, fmt.Sprintf("must be between %s and %s", lowest, highest))
		return def
	}
	return d
}

// reader collects the problems of every variable it reads.
type reader struct {
	getenv func(string) string
	errs   []error
}

func (r *reader) fail(name, problem string) {
	r.errs = append(r.errs, fmt.Errorf("%s %s", name, problem))
}

// str returns the trimmed value, or def when unset or blank.
func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) integer(name string, def, lowest, highest int) int {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lowest || n > highest {
		r.fail(name, fmt.Sprintf("must be a whole number from %d to %d, got %q", lowest, highest, v))
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, fmt.Sprintf("must be true or false, got %q", v))
		return def
	}
	return b
}

// absoluteURL returns an absolute http(s) URL, or "" when unset and def is empty.
func (r *reader) absoluteURL(name, def string) string {
	v := r.str(name, def)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.fail(name, fmt.Sprintf("must be an absolute http or https URL, got %q", v))
		return def
	}
	return v
}

// baseURL is an absoluteURL without trailing slashes, so that paths can be appended (the
// templates' default session URL ends with one).
func (r *reader) baseURL(name, def string) string {
	return strings.TrimRight(r.absoluteURL(name, def), "/")
}

// level accepts slog's names and the templates' pino names (trace, fatal).
func (r *reader) level(name string, def slog.Level) slog.Level {
	switch v := strings.ToLower(r.str(name, "")); v {
	case "":
		return def
	case "trace", "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn", "warning":
		return slog.LevelWarn
	case "error", "fatal":
		return slog.LevelError
	default:
		r.fail(name, fmt.Sprintf("must be one of debug, info, warn, error, got %q", v))
		return def
	}
}
