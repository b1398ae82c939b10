# Golden g-weight summaries (final weight / starting weight) from R `survey`.
#
# Regenerate from the repository root with:
#     Rscript tests/weighting/golden/make_golden_g.R
#
# It reads the datasets make_golden.R wrote (consult.csv, consult_t_margins.csv), calibrates with
# bounds on g as the workbench does (logit, bounds 0.4 and 2.5; linear, bounds 0.3 and 3), once
# from equal starting weights N/n and once from the base-weight column, and writes for each case
# g = weights(cal) / weights(design): min, max, mean, quantile(type = 7) at 1, 5, 25, 50, 75, 95
# and 99 %, and hist(breaks = 10 equal bins from min to max, right = FALSE, include.lowest = TRUE)
# counts, with 17 significant digits, to golden_g.json. tests/weighting/test_gweights.py reads it.

suppressMessages(library(survey))
options(digits = 17, warn = 1)

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
dir <- if (length(script)) dirname(normalizePath(script)) else "tests/weighting/golden"
N <- 960000  # the consult population of make_golden.R
QS <- c(0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)

d <- read.csv(file.path(dir, "consult.csv"), stringsAsFactors = FALSE)
tt <- read.csv(file.path(dir, "consult_t_margins.csv"), stringsAsFactors = FALSE)
vars <- unique(tt$variable)
for (v in vars) d[[v]] <- factor(d[[v]], levels = tt$category[tt$variable == v])
f <- as.formula(paste("~", paste(vars, collapse = "+")))

population <- function(design) {
  mm <- model.matrix(f, design$variables)
  pop <- setNames(numeric(ncol(mm)), colnames(mm))
  pop["(Intercept)"] <- N
  for (i in seq_len(nrow(tt))) {
    nm <- paste0(tt$variable[i], tt$category[i])
    if (nm %in% names(pop)) pop[nm] <- tt$share[i] * N
  }
  pop
}

num <- function(x) sprintf("%.17g", x)
arr <- function(x) paste0("[", paste(x, collapse = ", "), "]")

g_case <- function(calfun, bounds, base) {
  d$.w0 <- if (is.null(base)) rep(N / nrow(d), nrow(d)) else d[[base]]
  des <- svydesign(ids = ~1, weights = ~.w0, data = d)
  cal <- calibrate(des, f, population = population(des), calfun = calfun, bounds = bounds,
                   epsilon = 1e-13, maxit = 500)
  g <- unname(weights(cal) / weights(des))
  breaks <- seq(min(g), max(g), length.out = 11)
  h <- hist(g, breaks = breaks, right = FALSE, include.lowest = TRUE, plot = FALSE)
  paste0(
    "{\"calfun\": \"", calfun, "\", \"bounds\": ", arr(num(bounds)),
    ", \"base_weight\": ", if (is.null(base)) "null" else paste0("\"", base, "\""),
    ", \"population\": ", num(N), ", \"n\": ", length(g),
    ", \"min\": ", num(min(g)), ", \"max\": ", num(max(g)), ", \"mean\": ", num(mean(g)),
    ", \"quantiles\": ", arr(num(unname(quantile(g, QS, type = 7)))),
    ", \"counts\": ", arr(h$counts), "}"
  )
}

cases <- c(
  logit_equal = g_case("logit", c(0.4, 2.5), NULL),
  logit_basew = g_case("logit", c(0.4, 2.5), "base_w"),
  linear_equal = g_case("linear", c(0.3, 3), NULL)
)
body <- paste0("  \"", names(cases), "\": ", cases, collapse = ",\n")
meta <- paste0("  \"meta\": {\"r_version\": \"", R.version.string, "\", \"survey\": \"",
               as.character(packageVersion("survey")), "\"}")
writeLines(c("{", paste0(meta, ","), body, "}"), file.path(dir, "golden_g.json"))
