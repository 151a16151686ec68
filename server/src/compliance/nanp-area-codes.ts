// NANP geographic area codes of the United States, its territories and Canada: where
// each one rings (state, territory or province) and every IANA time zone its numbers
// may be in.
//
// Source: the North American Numbering Plan Administrator's (NANPA) geographic area
// code assignments (overlays included) and the Canadian Numbering Administrator's list,
// first compiled on 2026-11-30 from those published assignments as the author knew
// them, then cross-checked the same day against two machine-readable sources:
//   - libphonenumber-js 1.13.16 metadata (`metadata.max.json`): which area codes are
//     valid geographic US/CA numbers. Every code it validates is here, except 273
//     (valid as Canadian, province not confirmed: it falls back, see below). This check
//     runs as a test (server/test/compliance/nanp-area-codes.test.ts) on every
//     libphonenumber-js upgrade.
//   - Google libphonenumber v9.0.35 (2026-07-16) geocoding data for +1 (area code ->
//     state/province) and its time-zone map: every state agrees; the zones here are a
//     superset of its zones except where it is known to lag (Yukon's permanent MST,
//     Orlando's 689 listed as Central).
// Fixed by that check: 831 (California, Monterey) was missing; 738 (California, the
// 213/323 overlay) and 748 (Colorado, the 303/720/983 overlay) were added;
// Saskatchewan gained America/Winnipeg (Creighton keeps Manitoba's DST).
// Planned overlays not yet in either source (kept, as the author knew them; a number
// from them cannot be in service before they are): 436 OH, 471 MS, 624 NY, 679 MI,
// 729 TN, 837 CA, 861 IL, 924 MN.
// Time zones from the IANA tz database's zones and the US DOT time-zone boundaries
// (49 CFR part 71). Review yearly against NANPA's list: a missing code only falls back
// to the federal window in the shop's zone, never to "always allowed".
//
// Split zones: an area code whose territory crosses a time-zone line lists every zone
// it may be in (decision 0018: the window applied is the intersection, so a text is
// only sent when it is allowed in all of them). Places that keep a neighbouring zone
// by local custom (Phenix City AL on Eastern, Kenton OK and Jackpot NV on Mountain)
// are listed too: that is where the recipient's clock is.
//
// Non-geographic codes (toll-free 8XX, 5XX personal/M2M, 600/622 Canadian
// non-geographic, 900) and the other NANP countries (the Caribbean) are not here on
// purpose: they have no US state or Canadian province.

// prettier-ignore
export type UsRegion =
  | 'AL' | 'AK' | 'AZ' | 'AR' | 'CA' | 'CO' | 'CT' | 'DE' | 'DC' | 'FL' | 'GA' | 'HI' | 'ID' | 'IL' | 'IN' | 'IA' | 'KS' | 'KY' | 'LA' | 'ME' | 'MD' | 'MA'
  | 'MI' | 'MN' | 'MS' | 'MO' | 'MT' | 'NE' | 'NV' | 'NH' | 'NJ' | 'NM' | 'NY' | 'NC' | 'ND' | 'OH' | 'OK' | 'OR' | 'PA' | 'RI' | 'SC' | 'SD' | 'TN' | 'TX'
  | 'UT' | 'VT' | 'VA' | 'WA' | 'WV' | 'WI' | 'WY' | 'PR' | 'VI' | 'GU' | 'AS' | 'MP';
export type CanadianRegion = 'AB' | 'BC' | 'MB' | 'NB' | 'NL' | 'NS' | 'PE' | 'ON' | 'QC' | 'SK' | 'YT' | 'NT' | 'NU';

export interface AreaCodeGroup {
  country: 'US' | 'CA';
  /** One region, or several when one area code serves more than one (Canada's 867, NS+PE's 902). */
  regions: readonly (UsRegion | CanadianRegion)[];
  /** The zone(s) every code of the group may be in, unless `splitZones` says otherwise for a code. */
  zones: readonly string[];
  /** Area codes, space separated. */
  codes: string;
  /** Codes of this group whose territory crosses a time-zone line: every zone they may be in. */
  splitZones?: Readonly<Record<string, readonly string[]>>;
}

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const PT = 'America/Los_Angeles';

export const NANP_AREA_CODE_GROUPS: readonly AreaCodeGroup[] = [
  // Phenix City (334) keeps Eastern time by custom, across the river from Columbus GA.
  { country: 'US', regions: ['AL'], zones: [CT], codes: '205 251 256 334 659 938', splitZones: { '334': [CT, ET] } },
  // Adak and the western Aleutians are on Hawaii-Aleutian time.
  { country: 'US', regions: ['AK'], zones: ['America/Anchorage', 'America/Adak'], codes: '907' },
  // Arizona keeps standard time all year; the Navajo Nation (928) observes DST.
  { country: 'US', regions: ['AZ'], zones: ['America/Phoenix'], codes: '480 520 602 623 928', splitZones: { '928': ['America/Phoenix', MT] } },
  { country: 'US', regions: ['AR'], zones: [CT], codes: '327 479 501 870' },
  {
    country: 'US',
    regions: ['CA'],
    zones: [PT],
    codes:
      '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 837 840 858 909 916 925 949 951',
  },
  { country: 'US', regions: ['CO'], zones: [MT], codes: '303 719 720 748 970 983' },
  { country: 'US', regions: ['CT'], zones: [ET], codes: '203 475 860 959' },
  { country: 'US', regions: ['DE'], zones: [ET], codes: '302' },
  { country: 'US', regions: ['DC'], zones: [ET], codes: '202 771' },
  // The panhandle west of the Apalachicola River (850 and its overlay 448) is on Central time.
  {
    country: 'US',
    regions: ['FL'],
    zones: [ET],
    codes: '239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954',
    splitZones: { '448': [ET, CT], '850': [ET, CT] },
  },
  { country: 'US', regions: ['GA'], zones: [ET], codes: '229 404 470 478 678 706 762 770 912 943' },
  { country: 'US', regions: ['HI'], zones: ['Pacific/Honolulu'], codes: '808' },
  // Southern Idaho is Mountain, the panhandle Pacific; both codes cover the whole state.
  { country: 'US', regions: ['ID'], zones: ['America/Boise', PT], codes: '208 986' },
  { country: 'US', regions: ['IL'], zones: [CT], codes: '217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872' },
  // Indiana: the northwest (Gary) and southwest (Evansville) corners are Central, the rest Eastern.
  {
    country: 'US',
    regions: ['IN'],
    zones: ['America/Indiana/Indianapolis'],
    codes: '219 260 317 463 574 765 812 930',
    splitZones: {
      '219': [CT, 'America/Indiana/Indianapolis'],
      '574': ['America/Indiana/Indianapolis', CT],
      '812': ['America/Indiana/Indianapolis', CT],
      '930': ['America/Indiana/Indianapolis', CT],
    },
  },
  { country: 'US', regions: ['IA'], zones: [CT], codes: '319 515 563 641 712' },
  // Kansas: four western counties (Sherman, Wallace in 785; Greeley, Hamilton in 620) are Mountain.
  { country: 'US', regions: ['KS'], zones: [CT], codes: '316 620 785 913', splitZones: { '620': [CT, MT], '785': [CT, MT] } },
  // Kentucky: the western half is Central; 270/364 and 606 cross the line.
  {
    country: 'US',
    regions: ['KY'],
    zones: [ET],
    codes: '270 364 502 606 859',
    splitZones: { '270': [CT, ET], '364': [CT, ET], '606': [ET, CT] },
  },
  { country: 'US', regions: ['LA'], zones: [CT], codes: '225 318 337 504 985' },
  { country: 'US', regions: ['ME'], zones: [ET], codes: '207' },
  { country: 'US', regions: ['MD'], zones: [ET], codes: '227 240 301 410 443 667' },
  { country: 'US', regions: ['MA'], zones: [ET], codes: '339 351 413 508 617 774 781 857 978' },
  // Michigan: four Upper Peninsula counties bordering Wisconsin (906) are Central.
  {
    country: 'US',
    regions: ['MI'],
    zones: ['America/Detroit'],
    codes: '231 248 269 313 517 586 616 679 734 810 906 947 989',
    splitZones: { '906': ['America/Detroit', 'America/Menominee'] },
  },
  { country: 'US', regions: ['MN'], zones: [CT], codes: '218 320 507 612 651 763 924 952' },
  { country: 'US', regions: ['MS'], zones: [CT], codes: '228 471 601 662 769' },
  { country: 'US', regions: ['MO'], zones: [CT], codes: '235 314 417 557 573 636 660 816 975' },
  { country: 'US', regions: ['MT'], zones: [MT], codes: '406' },
  // Nebraska: the panhandle and the west (308) are Mountain.
  { country: 'US', regions: ['NE'], zones: [CT], codes: '308 402 531', splitZones: { '308': [CT, MT] } },
  // Nevada: West Wendover (officially) and Jackpot (by custom), both in 775, are on Mountain time.
  { country: 'US', regions: ['NV'], zones: [PT], codes: '702 725 775', splitZones: { '775': [PT, MT] } },
  { country: 'US', regions: ['NH'], zones: [ET], codes: '603' },
  { country: 'US', regions: ['NJ'], zones: [ET], codes: '201 551 609 640 732 848 856 862 908 973' },
  { country: 'US', regions: ['NM'], zones: [MT], codes: '505 575' },
  {
    country: 'US',
    regions: ['NY'],
    zones: [ET],
    codes: '212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934',
  },
  { country: 'US', regions: ['NC'], zones: [ET], codes: '252 336 472 704 743 828 910 919 980 984' },
  // North Dakota: the southwest is Mountain.
  { country: 'US', regions: ['ND'], zones: [CT, MT], codes: '701' },
  { country: 'US', regions: ['OH'], zones: [ET], codes: '216 220 234 283 326 330 380 419 436 440 513 567 614 740 937' },
  // Oklahoma: Kenton, in the panhandle (580), keeps Mountain time by custom.
  { country: 'US', regions: ['OK'], zones: [CT], codes: '405 539 572 580 918', splitZones: { '580': [CT, MT] } },
  // Oregon: most of Malheur County (541/458) is Mountain.
  { country: 'US', regions: ['OR'], zones: [PT], codes: '458 503 541 971', splitZones: { '458': [PT, 'America/Boise'], '541': [PT, 'America/Boise'] } },
  { country: 'US', regions: ['PA'], zones: [ET], codes: '215 223 267 272 412 445 484 570 582 610 717 724 814 835 878' },
  { country: 'US', regions: ['RI'], zones: [ET], codes: '401' },
  { country: 'US', regions: ['SC'], zones: [ET], codes: '803 821 839 843 854 864' },
  // South Dakota: west river is Mountain; one code for the whole state.
  { country: 'US', regions: ['SD'], zones: [CT, MT], codes: '605' },
  // Tennessee: East Tennessee is Eastern, Middle and West Central; 423/729 (Bledsoe, Sequatchie)
  // and 931 (the Cumberland Plateau) cross the line.
  {
    country: 'US',
    regions: ['TN'],
    zones: [CT],
    codes: '423 615 629 729 731 865 901 931',
    splitZones: { '423': [ET, CT], '729': [ET, CT], '865': [ET], '931': [CT, ET] },
  },
  // Texas: El Paso and Hudspeth (915) are Mountain; Culberson County (432) too.
  {
    country: 'US',
    regions: ['TX'],
    zones: [CT],
    codes: '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979',
    splitZones: { '432': [CT, MT], '915': [MT] },
  },
  { country: 'US', regions: ['UT'], zones: [MT], codes: '385 435 801' },
  { country: 'US', regions: ['VT'], zones: [ET], codes: '802' },
  { country: 'US', regions: ['VA'], zones: [ET], codes: '276 434 540 571 686 703 757 804 826 948' },
  { country: 'US', regions: ['WA'], zones: [PT], codes: '206 253 360 425 509 564' },
  { country: 'US', regions: ['WV'], zones: [ET], codes: '304 681' },
  { country: 'US', regions: ['WI'], zones: [CT], codes: '262 274 353 414 534 608 715 920' },
  { country: 'US', regions: ['WY'], zones: [MT], codes: '307' },
  { country: 'US', regions: ['PR'], zones: ['America/Puerto_Rico'], codes: '787 939' },
  { country: 'US', regions: ['VI'], zones: ['America/St_Thomas'], codes: '340' },
  { country: 'US', regions: ['GU'], zones: ['Pacific/Guam'], codes: '671' },
  { country: 'US', regions: ['AS'], zones: ['Pacific/Pago_Pago'], codes: '684' },
  { country: 'US', regions: ['MP'], zones: ['Pacific/Saipan'], codes: '670' },

  { country: 'CA', regions: ['AB'], zones: ['America/Edmonton'], codes: '368 403 587 780 825' },
  // British Columbia: the East Kootenay is Mountain, Creston and the Peace River region keep MST all year.
  {
    country: 'CA',
    regions: ['BC'],
    zones: ['America/Vancouver', 'America/Edmonton', 'America/Creston', 'America/Dawson_Creek', 'America/Fort_Nelson'],
    codes: '236 250 257 672 778',
  },
  { country: 'CA', regions: ['BC'], zones: ['America/Vancouver'], codes: '604' },
  { country: 'CA', regions: ['MB'], zones: ['America/Winnipeg'], codes: '204 431 584' },
  { country: 'CA', regions: ['NB'], zones: ['America/Moncton'], codes: '428 506' },
  // Newfoundland is on Newfoundland time, most of Labrador on Atlantic.
  { country: 'CA', regions: ['NL'], zones: ['America/St_Johns', 'America/Goose_Bay'], codes: '709 879' },
  { country: 'CA', regions: ['NS', 'PE'], zones: ['America/Halifax'], codes: '782 902' },
  // Ontario: the northwest (807) west of 90° W is Central.
  {
    country: 'CA',
    regions: ['ON'],
    zones: ['America/Toronto'],
    codes: '226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 807 905 942',
    splitZones: { '807': ['America/Toronto', 'America/Winnipeg'] },
  },
  // Quebec: the Magdalen Islands and the Lower North Shore (418/581/367) are on Atlantic time.
  {
    country: 'CA',
    regions: ['QC'],
    zones: ['America/Toronto'],
    codes: '263 354 367 418 438 450 468 514 579 581 819 873',
    splitZones: { '367': ['America/Toronto', 'America/Halifax'], '418': ['America/Toronto', 'America/Halifax'], '581': ['America/Toronto', 'America/Halifax'] },
  },
  // Saskatchewan keeps CST all year; Lloydminster follows Alberta, Creighton follows Manitoba's DST by custom.
  { country: 'CA', regions: ['SK'], zones: ['America/Regina', 'America/Edmonton', 'America/Winnipeg'], codes: '306 474 639' },
  // One code for the three territories, across five zones.
  {
    country: 'CA',
    regions: ['YT', 'NT', 'NU'],
    zones: ['America/Whitehorse', 'America/Edmonton', 'America/Cambridge_Bay', 'America/Rankin_Inlet', 'America/Iqaluit'],
    codes: '867',
  },
];
