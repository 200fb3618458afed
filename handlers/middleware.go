package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/checkout-connect/go-connector/internal/apierror"
	"github.com/checkout-connect/go-connector/internal/correlation"
	"github.com/checkout-connect/go-connector/internal/metrics"
)

// assignIDs gives every request a request id and a correlation id, taken from the
// X-Request-ID and X-Correlation-ID headers when they are usable and generated otherwise,
// puts them into the request context and echoes them on the response.
func assignIDs() gin.HandlerFunc {
	return func(c *gin.Context) {
		ids := correlation.IDs{
			RequestID:     c.GetHeader(correlation.RequestIDHeader),
			CorrelationID: c.GetHeader(correlation.CorrelationIDHeader),
		}
		if !correlation.Usable(ids.RequestID) {
			ids.RequestID = correlation.NewID()
		}
		if !correlation.Usable(ids.CorrelationID) {
			ids.CorrelationID = correlation.NewID()
		}
		c.Header(correlation.RequestIDHeader, ids.RequestID)
		c.Header(correlation.CorrelationIDHeader, ids.CorrelationID)
		c.Request = c.Request.WithContext(correlation.With(c.Request.Context(), ids))
		c.Next()
	}
}

// logRequests writes one access line per request. It logs the path, never the query
// string, which may hold a session id.
func logRequests(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		level := slog.LevelInfo
		if status >= http.StatusInternalServerError {
			level = slog.LevelError
		}
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		correlation.LogAttrs(c.Request.Context(), log, level, "request",
			slog.String("method", c.Request.Method),
			slog.String("route", route),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", status),
			slog.Int("bytes", max(c.Writer.Size(), 0)),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		)
	}
}

// recoverPanics turns a panic into the common 500; the stack goes to the log only.
func recoverPanics(errs errorWriter) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			recovered := recover()
			if recovered == nil {
				return
			}
			if recovered == http.ErrAbortHandler {
				panic(recovered)
			}
			errs.write(c, apierror.Internal(fmt.Errorf("panic: %v\n%s", recovered, debug.Stack())))
		}()
		c.Next()
	}
}

// CORS settings of the templates, plus the Idempotency-Key request header and the id
// response headers, which browsers may then read.
const (
	corsAllowMethods  = "GET, HEAD, POST, DELETE"
	corsAllowHeaders  = "Content-Type, Authorization, X-Correlation-ID, X-Request-ID, X-Session-ID, Idempotency-Key"
	corsExposeHeaders = "X-Correlation-ID, X-Request-ID"
)

// allowCORS lets browsers on any origin call the processor, as the templates do: the
// enabler runs on the merchant's storefront. Credentials travel in headers, not cookies.
func allowCORS() gin.HandlerFunc {
	return func(c *gin.Context) {
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if c.Request.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", corsAllowMethods)
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}

// bound gives every request a deadline of budget, and detaches its work from the
// client's connection: a payment whose shopper closed the tab still gets recorded, and
// no request runs longer than the budget.
func bound(budget time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), budget)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// measure records each routed request's latency by operation and status, refusals
// included; the validation stage after it names the operation.
func measure(m *metrics.Metrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		started := time.Now()
		c.Next()
		op := currentOperation(c)
		if op == nil {
			return
		}
		m.Request(op.id, c.Writer.Status(), time.Since(started))
	}
}
