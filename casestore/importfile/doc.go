// Package importfile reads a creditor's case file (CSV or JSON) into
// casestore values, reporting every bad row by its line number, and writes
// each good case to a Store in one transaction so a re-run completes a
// half-done import instead of duplicating it.
package importfile
