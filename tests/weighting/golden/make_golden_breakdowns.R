# Golden values for the workbench's breakdowns of numeric and multiple-choice questions.
#
# Regenerate from the repository root with:
#     Rscript tests/weighting/golden/make_golden_breakdowns.R
#
# It reads consult.csv and consult_t_margins.csv (written by make_golden.R), calibrates the design
# to the margins (raking, N = 960000, base weights base_w) and writes
#   svyby(~x, ~g, design, svymean, na.rm = TRUE)
# for a numeric question (a mean per group) and for a 0/1 option indicator that is missing for
# respondents who did not answer the question (an option's share among those who answered), with
# 17 significant digits, to golden_breakdowns.json, with each estimate's 95 % interval: normal for a
# mean, svyciprop's logit interval (df of the group) for an option's share. svyby's SEs on a
# calibrated design are calibration-aware, which is what the workbench's breakdown shows.
#
# Tested with R 4.2.2 and survey 4.1-1 (Debian packages r-base-core, r-cran-survey).

suppressMessages(library(survey))
options(digits = 17, warn = 1)

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(script)) dirname(normalizePath(script)) else "tests/weighting/golden"
targs <- commandArgs(trailingOnly = TRUE)
out_dir <- if (length(targs) >= 1) targs[1] else here
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

N <- 960000
data <- read.csv(file.path(here, "consult.csv"), stringsAsFactors = FALSE)
targets <- read.csv(file.path(here, "consult_t_margins.csv"), stringsAsFactors = FALSE)
# A multiple-choice option as the workbench encodes it: 1 chosen, 0 not chosen, NA not answered.
data$agree <- ifelse(data$opinion == "agree", 1, 0)
data$agree[data$id %% 7 == 0] <- NA

design <- svydesign(ids = ~1, weights = ~base_w, data = data)
margins <- unique(targets$variable)
formula <- as.formula(paste("~", paste(margins, collapse = "+")))
mm <- model.matrix(formula, design$variables)
population <- setNames(numeric(ncol(mm)), colnames(mm))
population["(Intercept)"] <- N
for (i in seq_len(nrow(targets))) {
  name <- paste0(targets$variable[i], targets$category[i])
  if (name %in% names(population)) population[name] <- targets$share[i] * N
}
calibrated <- calibrate(design, formula, population = population, calfun = "raking",
                        epsilon = 1e-13, maxit = 500)

num <- function(x) sprintf("%.17g", x)
# An option's share gets svyciprop's logit interval (as single-choice shares do), so a small group's
# interval stays within 0 to 100 %; a numeric mean gets confint's normal one (estimate -/+ 1.96 SE).
share_ci <- function(variable, by) {
  # svyciprop cannot skip NA in a subset of a calibrated design (the dropped rows stay, with zero
  # weight, in the calibration's residuals): it reads a copy with 0 there, outside the subset anyway.
  answered <- subset(calibrated, !is.na(calibrated$variables[[variable]]))
  answered <- update(answered, filled = ifelse(is.na(answered$variables[[variable]]), 0, answered$variables[[variable]]))
  f <- ~I(filled == 1)
  # (glm warns that the zero-weight rows outside the subset are not used: they are not meant to be)
  b <- suppressWarnings(svyby(f, as.formula(paste0("~", by)), answered, svyciprop, method = "logit",
                              vartype = "ci"))
  setNames(lapply(seq_len(nrow(b)), function(i) c(b$ci_l[i], b$ci_u[i])), as.character(b[[by]]))
}
by_rows <- function(variable, by, share) {
  b <- svyby(as.formula(paste0("~", variable)), as.formula(paste0("~", by)), calibrated, svymean,
             na.rm = TRUE)
  n <- table(data[[by]][!is.na(data[[variable]])])
  ci <- if (share) share_ci(variable, by) else NULL
  rows <- vapply(seq_len(nrow(b)), function(i) {
    g <- as.character(b[[by]][i])
    est <- unname(coef(b))[i]
    se <- unname(SE(b))[i]
    bounds <- if (share) ci[[g]] else est + c(-1, 1) * qnorm(0.975) * se
    sprintf("{\"group\": \"%s\", \"estimate\": %s, \"se\": %s, \"ci_low\": %s, \"ci_high\": %s, \"n\": %d}",
            g, num(est), num(se), num(bounds[1]), num(bounds[2]), as.integer(n[[g]]))
  }, "")
  sprintf("{\"variable\": \"%s\", \"by\": \"%s\", \"share\": %s, \"rows\": [\n    %s\n  ]}", variable,
          by, tolower(share), paste(rows, collapse = ",\n    "))
}

cases <- list(c("satisfaction", "commune"), c("trust", "education"), c("agree", "commune"),
              c("agree", "mode"))
body <- vapply(cases, function(x) by_rows(x[1], x[2], x[1] == "agree"), "")
weights_note <- sprintf("{\"calfun\": \"raking\", \"population\": %s, \"base_weight\": \"base_w\"}", num(N))
json <- sprintf("{\n\"design\": %s,\n\"breakdowns\": [\n  %s\n]\n}\n", weights_note,
                paste(body, collapse = ",\n  "))
writeLines(json, file.path(out_dir, "golden_breakdowns.json"), sep = "")
