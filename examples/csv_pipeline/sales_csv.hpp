// The two transformations of the CSV staging pipeline, written the way such
// code usually is: against std::istream / std::ostream, knowing nothing of
// files. The pipeline (csv_pipeline.hpp) hands them memfs::ifstream and
// memfs::ofstream; a unit test could hand them std::stringstream.
//
// Raw input, one file per region and month:
//
//     date,store,product,quantity,unit_price
//     2024-03-01,N1, Widget ,3,2.50
//
// Cleaned ("processed") rows: product trimmed and lower-cased, price in
// cents:
//
//     date,store,product,quantity,unit_cents
//     2024-03-01,N1,widget,3,250
//
// Summary: quantity and revenue per product, then a total line:
//
//     product,quantity,revenue
//     widget,3,7.50
//     total,3,7.50
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <ostream>
#include <string>

namespace example {

inline constexpr const char* kRawHeader =
    "date,store,product,quantity,unit_price";
inline constexpr const char* kCleanHeader =
    "date,store,product,quantity,unit_cents";
inline constexpr const char* kSummaryHeader = "product,quantity,revenue";

/// What clean_sales() did.
struct CleanResult {
  /// False when the first line was not kRawHeader (nothing else was read).
  bool header_ok = true;
  std::uint64_t kept = 0;
  std::uint64_t rejected = 0;
};

/// Stage 1: reads raw rows from `in`, writes kCleanHeader and the valid rows
/// to `out`, and one line per invalid row to `rejects`:
///
///     line 4: date is not YYYY-MM-DD: 2024-3-5,W1,Gadget,1,10.00
///
/// A row is valid with 5 fields, a YYYY-MM-DD date, a store and a product,
/// a whole quantity > 0 and a price with at most two decimals. Blank lines
/// and a trailing '\r' are ignored. Stream errors are left in the streams'
/// states for the caller to check.
CleanResult clean_sales(std::istream& in, std::ostream& out,
                        std::ostream& rejects);

/// Quantity and revenue (cents) per product.
struct Totals {
  struct Line {
    std::uint64_t quantity = 0;
    std::uint64_t cents = 0;
  };
  std::map<std::string, Line> by_product;
};

/// Stage 2, part 1: adds the cleaned rows of `in` to `totals`. Returns false
/// if `in` is not in the cleaned format (its header or a row).
[[nodiscard]] bool add_to_totals(std::istream& in, Totals& totals);

/// Stage 2, part 2: writes kSummaryHeader, a line per product (sorted) and
/// the total line.
void write_summary(const Totals& totals, std::ostream& out);

}  // namespace example
