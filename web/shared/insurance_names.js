// The five insurances' names in English, by the platform's insurance code; the platform
// answers their Chinese names itself (`name`).

export const kInsuranceEnglish = {
  pension: "Pension", medical: "Medical", unemployment: "Unemployment",
  work_injury: "Work injury", maternity: "Maternity",
};
