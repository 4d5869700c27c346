#include "sales_csv.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

namespace example {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string_view> split(std::string_view line) {
  std::vector<std::string_view> fields;
  for (std::size_t start = 0;;) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) return fields;
    start = comma + 1;
  }
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return c >= '0' && c <= '9'; });
}

// Parses a whole number of at most 12 digits (no overflow below).
bool whole(std::string_view s, std::uint64_t& value) {
  if (!digits(s) || s.size() > 12) return false;
  value = 0;
  for (char c : s) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  return true;
}

bool is_date(std::string_view s) {
  return s.size() == 10 && s[4] == '-' && s[7] == '-' &&
         digits(s.substr(0, 4)) && digits(s.substr(5, 2)) &&
         digits(s.substr(8, 2));
}

// "2", "2.5", "2.50" -> 200, 250, 250.
bool price_cents(std::string_view s, std::uint64_t& cents) {
  const std::size_t dot = s.find('.');
  std::uint64_t units = 0, fraction = 0;
  if (!whole(s.substr(0, dot), units)) return false;
  if (dot != std::string_view::npos) {
    const std::string_view decimals = s.substr(dot + 1);
    if (decimals.size() > 2 || !whole(decimals, fraction)) return false;
    if (decimals.size() == 1) fraction *= 10;
  }
  cents = units * 100 + fraction;
  return true;
}

// Reads one line without its '\r'; false at the end.
bool next_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

// Checks a raw row; on success fills `clean` with its cleaned form,
// otherwise `reason` says what is wrong.
bool clean_row(const std::vector<std::string_view>& f, std::string& clean,
               std::string& reason) {
  std::uint64_t quantity = 0, cents = 0;
  if (f.size() != 5) {
    reason = "expected 5 fields, got " + std::to_string(f.size());
  } else if (!is_date(f[0])) {
    reason = "date is not YYYY-MM-DD";
  } else if (f[1].empty() || f[2].empty()) {
    reason = "store or product is empty";
  } else if (!whole(f[3], quantity) || quantity == 0) {
    reason = "quantity is not a positive whole number";
  } else if (!price_cents(f[4], cents)) {
    reason = "unit_price is not a price";
  } else {
    std::string product(f[2]);
    for (char& c : product)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    clean = std::string(f[0]) + ',' + std::string(f[1]) + ',' + product + ',' +
            std::to_string(quantity) + ',' + std::to_string(cents);
    return true;
  }
  return false;
}

}  // namespace

CleanResult clean_sales(std::istream& in, std::ostream& out,
                        std::ostream& rejects) {
  CleanResult result;
  std::string line;
  if (!next_line(in, line) || line != kRawHeader) {
    result.header_ok = false;
    return result;
  }
  out << kCleanHeader << '\n';
  std::string clean, reason;
  for (std::uint64_t number = 2; next_line(in, line); ++number) {
    if (trim(line).empty()) continue;
    if (clean_row(split(line), clean, reason)) {
      out << clean << '\n';
      ++result.kept;
    } else {
      rejects << "line " << number << ": " << reason << ": " << line << '\n';
      ++result.rejected;
    }
  }
  return result;
}

bool add_to_totals(std::istream& in, Totals& totals) {
  std::string line;
  if (!next_line(in, line) || line != kCleanHeader) return false;
  while (next_line(in, line)) {
    const auto f = split(line);
    std::uint64_t quantity = 0, cents = 0;
    if (f.size() != 5 || !whole(f[3], quantity) || !whole(f[4], cents))
      return false;
    Totals::Line& total = totals.by_product[std::string(f[2])];
    total.quantity += quantity;
    total.cents += quantity * cents;
  }
  return true;
}

void write_summary(const Totals& totals, std::ostream& out) {
  const auto line = [&out](const std::string& name, const Totals::Line& t) {
    const std::uint64_t fraction = t.cents % 100;
    out << name << ',' << t.quantity << ',' << t.cents / 100
        << (fraction < 10 ? ".0" : ".") << fraction << '\n';
  };
  Totals::Line all;
  out << kSummaryHeader << '\n';
  for (const auto& [product, total] : totals.by_product) {
    line(product, total);
    all.quantity += total.quantity;
    all.cents += total.cents;
  }
  line("total", all);
}

}  // namespace example
