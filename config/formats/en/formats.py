# English dates as the site has always written them: "13 April 2018", "April 2018".
# Django's own English formats are American ("April 13, 2018").
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DATETIME_FORMAT = "j F Y, H:i"
