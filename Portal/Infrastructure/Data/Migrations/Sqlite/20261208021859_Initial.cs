using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AspNetRoles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoles", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUsers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", nullable: false),
                    PreferredLanguage = table.Column<string>(type: "TEXT", nullable: false),
                    PrefersDarkMode = table.Column<bool>(type: "INTEGER", nullable: true),
                    TimeZoneId = table.Column<string>(type: "TEXT", nullable: false),
                    Countries = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    IsDisabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    SignInFailuresForgivenUtc = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LastTotpTimeStep = table.Column<long>(type: "INTEGER", nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedUserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    EmailConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", nullable: true),
                    SecurityStamp = table.Column<string>(type: "TEXT", nullable: true),
                    ConcurrencyStamp = table.Column<string>(type: "TEXT", nullable: true),
                    PhoneNumber = table.Column<string>(type: "TEXT", nullable: true),
                    PhoneNumberConfirmed = table.Column<bool>(type: "INTEGER", nullable: false),
                    TwoFactorEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    LockoutEnd = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    LockoutEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AccessFailedCount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUsers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    Role = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    IpAddress = table.Column<string>(type: "TEXT", maxLength: 45, nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CaseNumberSequences",
                columns: table => new
                {
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    LastNumber = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseNumberSequences", x => new { x.CountryCode, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "Countries",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TimeZoneIds = table.Column<string>(type: "TEXT", nullable: false),
                    Languages = table.Column<string>(type: "TEXT", nullable: false),
                    IsFieldCountry = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Countries", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "KeyRingCanaries",
                columns: table => new
                {
                    KeyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Sample = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyRingCanaries", x => x.KeyId);
                });

            migrationBuilder.CreateTable(
                name: "NodeHeartbeats",
                columns: table => new
                {
                    Node = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NodeHeartbeats", x => x.Node);
                });

            migrationBuilder.CreateTable(
                name: "ReminderScanState",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    ScannedUpToUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DigestWeekUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReminderScanState", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedQueues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    FilterJson = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedQueues", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AspNetRoleClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetRoleClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetRoleClaims_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserClaims",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    ClaimType = table.Column<string>(type: "TEXT", nullable: true),
                    ClaimValue = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AspNetUserClaims_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserLogins",
                columns: table => new
                {
                    LoginProvider = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderKey = table.Column<string>(type: "TEXT", nullable: false),
                    ProviderDisplayName = table.Column<string>(type: "TEXT", nullable: true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
                    table.ForeignKey(
                        name: "FK_AspNetUserLogins_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserRoles",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    RoleId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserRoles", x => new { x.UserId, x.RoleId });
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetRoles_RoleId",
                        column: x => x.RoleId,
                        principalTable: "AspNetRoles",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_AspNetUserRoles_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AspNetUserTokens",
                columns: table => new
                {
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    LoginProvider = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Value = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
                    table.ForeignKey(
                        name: "FK_AspNetUserTokens_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StaffSessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    StartedUtc = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    LastActivityUtc = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    EndedUtc = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StaffSessions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StaffSessions_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IntakeSubmissions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReceivedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    HelpWanted = table.Column<string>(type: "TEXT", nullable: false),
                    ContactChannels = table.Column<string>(type: "TEXT", nullable: false),
                    ChildBornAsResult = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReferenceCode = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    PassphraseHash = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    UnreadSinceUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Area = table.Column<string>(type: "TEXT", nullable: true),
                    ContactDetails = table.Column<string>(type: "TEXT", nullable: true),
                    SafeTimes = table.Column<string>(type: "TEXT", nullable: true),
                    WhatHappened = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntakeSubmissions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IntakeSubmissions_Countries_CountryCode",
                        column: x => x.CountryCode,
                        principalTable: "Countries",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ServiceProviders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ServicesOffered = table.Column<string>(type: "TEXT", nullable: false),
                    Languages = table.Column<string>(type: "TEXT", nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    AnswersInPortal = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceProviders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceProviders_Countries_CountryCode",
                        column: x => x.CountryCode,
                        principalTable: "Countries",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Cases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 17, nullable: false),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RiskLevel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RiskAssessedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    RiskAssessedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AssignedAdvocateId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AssignedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OpenedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FirstContactAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosureReason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ClosureComment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    LinkedIntoCaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClosureRequestedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ClosureRequestedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    StatusBeforeClosureRequest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReopenCount = table.Column<int>(type: "INTEGER", nullable: false),
                    ErasedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ErasureHoldReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ErasureHeldBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ErasureHeldAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SubmissionLanguage = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    IntakeSubmissionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Profile_Sex = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Profile_AgeGroup = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Profile_DateOfBirth = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Profile_BirthYear = table.Column<int>(type: "INTEGER", nullable: true),
                    Profile_Languages = table.Column<string>(type: "TEXT", nullable: false),
                    Profile_HasDisability = table.Column<bool>(type: "INTEGER", nullable: false),
                    Profile_ChildBornOfSea = table.Column<bool>(type: "INTEGER", nullable: false),
                    Profile_DisabilityDetails = table.Column<string>(type: "TEXT", nullable: true),
                    Profile_District = table.Column<string>(type: "TEXT", nullable: true),
                    Allegation_EntityType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Allegation_MissionOrEntityName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Allegation_PersonnelCategory = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Allegation_Class = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Allegation_Subtype = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Allegation_IncidentDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Allegation_DateReported = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Allegation_InvestigationStatus = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Allegation_InterimActions = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AssigneeMissing = table.Column<int>(type: "INTEGER", nullable: false, computedColumnSql: "CASE WHEN \"AssigneeName\" IS NULL THEN 1 ELSE 0 END", stored: true),
                    AssigneeName = table.Column<string>(type: "TEXT", nullable: true),
                    FirstContactAfterDays = table.Column<double>(type: "REAL", nullable: true),
                    NextFollowUpDueMissing = table.Column<int>(type: "INTEGER", nullable: false, computedColumnSql: "CASE WHEN \"NextFollowUpDueUtc\" IS NULL THEN 1 ELSE 0 END", stored: true),
                    NextFollowUpDueUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    OverdueFromUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReferralTypes = table.Column<int>(type: "INTEGER", nullable: false, defaultValue: 0),
                    RiskRank = table.Column<int>(type: "INTEGER", nullable: false, computedColumnSql: "CASE \"RiskLevel\" WHEN 'Low' THEN 0 WHEN 'Medium' THEN 1 WHEN 'High' THEN 2 END", stored: true),
                    StatusRank = table.Column<int>(type: "INTEGER", nullable: false, computedColumnSql: "CASE \"Status\" WHEN 'Intake' THEN 0 WHEN 'Assessment' THEN 1 WHEN 'ActionPlan' THEN 2 WHEN 'Assistance' THEN 3 WHEN 'FollowUp' THEN 4 WHEN 'ClosureRequested' THEN 5 WHEN 'Closed' THEN 6 END", stored: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Cases", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Cases_Countries_CountryCode",
                        column: x => x.CountryCode,
                        principalTable: "Countries",
                        principalColumn: "Code",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Cases_IntakeSubmissions_IntakeSubmissionId",
                        column: x => x.IntakeSubmissionId,
                        principalTable: "IntakeSubmissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "IntakeAdditions",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    IntakeSubmissionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SafeTimes = table.Column<string>(type: "TEXT", nullable: true),
                    Text = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IntakeAdditions", x => new { x.IntakeSubmissionId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_IntakeAdditions_IntakeSubmissions_IntakeSubmissionId",
                        column: x => x.IntakeSubmissionId,
                        principalTable: "IntakeSubmissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Assessments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assessments_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CaseConsents",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    GivenBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ForServices = table.Column<bool>(type: "INTEGER", nullable: false),
                    ForSharingNonIdentifyingData = table.Column<bool>(type: "INTEGER", nullable: false),
                    SharedWithProviderIds = table.Column<string>(type: "TEXT", nullable: false),
                    SharedFields = table.Column<int>(type: "INTEGER", maxLength: 64, nullable: false),
                    Withhold = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RecordedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RevokedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseConsents", x => new { x.CaseId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_CaseConsents_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CaseKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WrappedKey = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DestroyedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseKeys_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CaseStatusChanges",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    To = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ClosureReason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseStatusChanges", x => new { x.CaseId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_CaseStatusChanges_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Children",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Pseudonym = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    BirthYear = table.Column<int>(type: "INTEGER", nullable: true),
                    Sex = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Needs = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ExpectedMonth = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    IsExpected = table.Column<bool>(type: "INTEGER", nullable: false),
                    BirthRecordedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true, defaultValue: ""),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Children", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Children_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Drafts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Form = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Content = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Drafts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Drafts_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IdentityRecords",
                columns: table => new
                {
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContactChannel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Email = table.Column<string>(type: "TEXT", nullable: true),
                    ExactAddress = table.Column<string>(type: "TEXT", nullable: true),
                    FamilyName = table.Column<string>(type: "TEXT", nullable: true),
                    GivenName = table.Column<string>(type: "TEXT", nullable: true),
                    OtherNames = table.Column<string>(type: "TEXT", nullable: true),
                    Phone = table.Column<string>(type: "TEXT", nullable: true),
                    SafeContactTimes = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IdentityRecords", x => x.CaseId);
                    table.ForeignKey(
                        name: "FK_IdentityRecords_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Notes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 10000, nullable: false),
                    AuthorId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notes_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeliveryKey = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecipientUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 17, nullable: true),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FollowUpKind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ReferralType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IsUrgent = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeliverAfterUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DispatchedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DispatchCount = table.Column<int>(type: "INTEGER", nullable: false),
                    WorkerNode = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ClaimedUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClaimedBy = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DeliveredAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ReadAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SkipReason = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ItemCount = table.Column<int>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false),
                    IsEscalation = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PersonMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SentBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReadAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Text = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PersonMessages_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PlanGoals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Needs = table.Column<string>(type: "TEXT", nullable: false),
                    TargetDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EndedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    EndedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ApprovedBy = table.Column<string>(type: "TEXT", nullable: true),
                    ApprovedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Description = table.Column<string>(type: "TEXT", nullable: false),
                    DropReason = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PlanGoals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PlanGoals_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "AssessedNeeds",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PersonsWish = table.Column<string>(type: "TEXT", nullable: true),
                    WhatIsNeeded = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessedNeeds", x => new { x.AssessmentId, x.Sequence, x.Type });
                    table.ForeignKey(
                        name: "FK_AssessedNeeds_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AssessmentVersions",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    AssessmentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Risk = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    RecordedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RiskReason = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssessmentVersions", x => new { x.AssessmentId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_AssessmentVersions_Assessments_AssessmentId",
                        column: x => x.AssessmentId,
                        principalTable: "Assessments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseNumber = table.Column<string>(type: "TEXT", maxLength: 17, nullable: false),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProviderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DeclineCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AppointmentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    OutcomeComment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    WithdrawReason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    SentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SentBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    AcceptanceDueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    AcceptedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeclinedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    WithdrawnAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConsentOverride_ByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ConsentOverride_Reason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ConsentOverride_AtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ConsentOverride_MissingConsent = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    GoalId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Referrals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Referrals_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_PlanGoals_GoalId",
                        column: x => x.GoalId,
                        principalTable: "PlanGoals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Referrals_ServiceProviders_ProviderId",
                        column: x => x.ProviderId,
                        principalTable: "ServiceProviders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CaseDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferralId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Format = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SizeBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    ContentHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    UploadedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DeletedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeletedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DeleteReason = table.Column<string>(type: "TEXT", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CaseDocuments_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_CaseDocuments_Referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "Referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "FollowUps",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferralId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    DueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IsUrgent = table.Column<bool>(type: "INTEGER", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SnoozedUntilUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SnoozeReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SnoozedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DoneAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DoneBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DoneNote = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    CancelledAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CancelledBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true, defaultValue: ""),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FollowUps_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FollowUps_Referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "Referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PaternityClaims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChildId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberStateCode = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Jurisdictions = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LegalAidReferralId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OpenedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastMovementAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CarriedOnAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CarriedOnBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true, defaultValue: ""),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    ChangedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaternityClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PaternityClaims_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PaternityClaims_Children_ChildId",
                        column: x => x.ChildId,
                        principalTable: "Children",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PaternityClaims_Referrals_LegalAidReferralId",
                        column: x => x.LegalAidReferralId,
                        principalTable: "Referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReferralStatusChanges",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    ReferralId = table.Column<Guid>(type: "TEXT", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    To = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    AppointmentAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReferralStatusChanges", x => new { x.ReferralId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_ReferralStatusChanges_Referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "Referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DocumentContents",
                columns: table => new
                {
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SealedKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Sealed = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DocumentContents", x => x.DocumentId);
                    table.ForeignKey(
                        name: "FK_DocumentContents_CaseDocuments_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "CaseDocuments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FollowUpMoves",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    FollowUpId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromDueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ToDueAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    ByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FollowUpMoves", x => new { x.FollowUpId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_FollowUpMoves_FollowUps_FollowUpId",
                        column: x => x.FollowUpId,
                        principalTable: "FollowUps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PaternityClaimStatusChanges",
                columns: table => new
                {
                    Sequence = table.Column<int>(type: "INTEGER", nullable: false),
                    PaternityClaimId = table.Column<Guid>(type: "TEXT", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    To = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaternityClaimStatusChanges", x => new { x.PaternityClaimId, x.Sequence });
                    table.ForeignKey(
                        name: "FK_PaternityClaimStatusChanges_PaternityClaims_PaternityClaimId",
                        column: x => x.PaternityClaimId,
                        principalTable: "PaternityClaims",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetRoleClaims_RoleId",
                table: "AspNetRoleClaims",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "RoleNameIndex",
                table: "AspNetRoles",
                column: "NormalizedName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserClaims_UserId",
                table: "AspNetUserClaims",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserLogins_UserId",
                table: "AspNetUserLogins",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUserRoles_RoleId",
                table: "AspNetUserRoles",
                column: "RoleId");

            migrationBuilder.CreateIndex(
                name: "EmailIndex",
                table: "AspNetUsers",
                column: "NormalizedEmail");

            migrationBuilder.CreateIndex(
                name: "UserNameIndex",
                table: "AspNetUsers",
                column: "NormalizedUserName",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_CaseId",
                table: "Assessments",
                column: "CaseId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_RecordType_RecordId",
                table: "AuditEntries",
                columns: new[] { "RecordType", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_UserId",
                table: "AuditEntries",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseConsents_Id",
                table: "CaseConsents",
                column: "Id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseDocuments_CaseId_ContentHash",
                table: "CaseDocuments",
                columns: new[] { "CaseId", "ContentHash" },
                unique: true,
                filter: "\"DeletedAtUtc\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CaseDocuments_ReferralId",
                table: "CaseDocuments",
                column: "ReferralId");

            migrationBuilder.CreateIndex(
                name: "IX_CaseKeys_CaseId",
                table: "CaseKeys",
                column: "CaseId",
                unique: true,
                filter: "\"DestroyedAtUtc\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Allegation_DateReported_Allegation_EntityType",
                table: "Cases",
                columns: new[] { "Allegation_DateReported", "Allegation_EntityType" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssignedAdvocateId_Status_OpenedAtUtc",
                table: "Cases",
                columns: new[] { "AssignedAdvocateId", "Status", "OpenedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeMissing_AssigneeName_Number",
                table: "Cases",
                columns: new[] { "AssigneeMissing", "AssigneeName", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeMissing_AssigneeName_Number_Descending",
                table: "Cases",
                columns: new[] { "AssigneeMissing", "AssigneeName", "Number" },
                descending: new[] { false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_ClosedAtUtc_CountryCode",
                table: "Cases",
                columns: new[] { "ClosedAtUtc", "CountryCode" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_AssignedAdvocateId_NextFollowUpDueMissing_NextFollowUpDueUtc_Number_Status_OverdueFromUtc",
                table: "Cases",
                columns: new[] { "CountryCode", "AssignedAdvocateId", "NextFollowUpDueMissing", "NextFollowUpDueUtc", "Number", "Status", "OverdueFromUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_AssignedAdvocateId_OpenedAtUtc_Number_Status_OverdueFromUtc",
                table: "Cases",
                columns: new[] { "CountryCode", "AssignedAdvocateId", "OpenedAtUtc", "Number", "Status", "OverdueFromUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_AssigneeMissing_AssigneeName_Number",
                table: "Cases",
                columns: new[] { "CountryCode", "AssigneeMissing", "AssigneeName", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_AssigneeMissing_AssigneeName_Number_Descending",
                table: "Cases",
                columns: new[] { "CountryCode", "AssigneeMissing", "AssigneeName", "Number" },
                descending: new[] { false, false, true, true });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_NextFollowUpDueMissing_NextFollowUpDueUtc_Number_Status",
                table: "Cases",
                columns: new[] { "CountryCode", "NextFollowUpDueMissing", "NextFollowUpDueUtc", "Number", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_NextFollowUpDueMissing_NextFollowUpDueUtc_Number_Status_Descending",
                table: "Cases",
                columns: new[] { "CountryCode", "NextFollowUpDueMissing", "NextFollowUpDueUtc", "Number", "Status" },
                descending: new[] { false, false, true, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_Number_OpenedAtUtc",
                table: "Cases",
                columns: new[] { "CountryCode", "Number", "OpenedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_Education",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 32) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_Legal",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 4) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_MaterialAssistance",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 64) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_Medical",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 1) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_PaternityAndChildSupport",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 8) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_Psychosocial",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 2) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_ReferralTypes",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number", "ReferralTypes" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_SafetyAndProtection",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 128) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_OpenedAtUtc_Number_SkillsTrainingOrLivelihood",
                table: "Cases",
                columns: new[] { "CountryCode", "OpenedAtUtc", "Number" },
                filter: "(\"ReferralTypes\" & 16) <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_RiskLevel_OpenedAtUtc_Number",
                table: "Cases",
                columns: new[] { "CountryCode", "RiskLevel", "OpenedAtUtc", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_RiskRank_OpenedAtUtc_Number",
                table: "Cases",
                columns: new[] { "CountryCode", "RiskRank", "OpenedAtUtc", "Number" },
                descending: new[] { false, true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_Status_AssignedAdvocateId_OpenedAtUtc",
                table: "Cases",
                columns: new[] { "CountryCode", "Status", "AssignedAdvocateId", "OpenedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_Status_AssignedAdvocateId_RiskRank_OpenedAtUtc_Number",
                table: "Cases",
                columns: new[] { "CountryCode", "Status", "AssignedAdvocateId", "RiskRank", "OpenedAtUtc", "Number" },
                descending: new[] { false, false, false, true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_Status_OverdueFromUtc",
                table: "Cases",
                columns: new[] { "CountryCode", "Status", "OverdueFromUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_CountryCode_StatusRank_Number",
                table: "Cases",
                columns: new[] { "CountryCode", "StatusRank", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_IntakeSubmissionId",
                table: "Cases",
                column: "IntakeSubmissionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_NextFollowUpDueMissing_NextFollowUpDueUtc_Number_Status",
                table: "Cases",
                columns: new[] { "NextFollowUpDueMissing", "NextFollowUpDueUtc", "Number", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_NextFollowUpDueMissing_NextFollowUpDueUtc_Number_Status_Descending",
                table: "Cases",
                columns: new[] { "NextFollowUpDueMissing", "NextFollowUpDueUtc", "Number", "Status" },
                descending: new[] { false, true, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Number",
                table: "Cases",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OpenedAtUtc_CountryCode_FirstContactAtUtc_FirstContactAfterDays",
                table: "Cases",
                columns: new[] { "OpenedAtUtc", "CountryCode", "FirstContactAtUtc", "FirstContactAfterDays" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OpenedAtUtc_Number_ReferralTypes",
                table: "Cases",
                columns: new[] { "OpenedAtUtc", "Number", "ReferralTypes" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_RiskRank_OpenedAtUtc_Number",
                table: "Cases",
                columns: new[] { "RiskRank", "OpenedAtUtc", "Number" },
                descending: new[] { true, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_OpenedAtUtc_Number",
                table: "Cases",
                columns: new[] { "Status", "OpenedAtUtc", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_OverdueFromUtc",
                table: "Cases",
                columns: new[] { "Status", "OverdueFromUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_StatusRank_Number",
                table: "Cases",
                columns: new[] { "StatusRank", "Number" });

            migrationBuilder.CreateIndex(
                name: "IX_Children_CaseId",
                table: "Children",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Children_CountryCode_IsExpected_BirthYear",
                table: "Children",
                columns: new[] { "CountryCode", "IsExpected", "BirthYear" });

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_AuthorId_CaseId_Form",
                table: "Drafts",
                columns: new[] { "AuthorId", "CaseId", "Form" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_CaseId",
                table: "Drafts",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_SavedAtUtc",
                table: "Drafts",
                column: "SavedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_CaseId_Status_DueAtUtc",
                table: "FollowUps",
                columns: new[] { "CaseId", "Status", "DueAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_ChangedAtUtc",
                table: "FollowUps",
                column: "ChangedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_CountryCode_Status_DueAtUtc_IsUrgent_SnoozedUntilUtc_CaseId",
                table: "FollowUps",
                columns: new[] { "CountryCode", "Status", "DueAtUtc", "IsUrgent", "SnoozedUntilUtc", "CaseId" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_CreatedAtUtc",
                table: "FollowUps",
                column: "CreatedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_ReferralId",
                table: "FollowUps",
                column: "ReferralId");

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_Status_DueAtUtc_IsUrgent_SnoozedUntilUtc_CaseId",
                table: "FollowUps",
                columns: new[] { "Status", "DueAtUtc", "IsUrgent", "SnoozedUntilUtc", "CaseId" });

            migrationBuilder.CreateIndex(
                name: "IX_FollowUps_Status_SnoozedUntilUtc",
                table: "FollowUps",
                columns: new[] { "Status", "SnoozedUntilUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_IntakeSubmissions_CaseId",
                table: "IntakeSubmissions",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_IntakeSubmissions_CountryCode",
                table: "IntakeSubmissions",
                column: "CountryCode");

            migrationBuilder.CreateIndex(
                name: "IX_IntakeSubmissions_ReceivedAtUtc",
                table: "IntakeSubmissions",
                column: "ReceivedAtUtc");

            migrationBuilder.CreateIndex(
                name: "IX_IntakeSubmissions_ReferenceCode",
                table: "IntakeSubmissions",
                column: "ReferenceCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IntakeSubmissions_UnreadSinceUtc",
                table: "IntakeSubmissions",
                column: "UnreadSinceUtc");

            migrationBuilder.CreateIndex(
                name: "IX_Notes_CaseId_CreatedAtUtc",
                table: "Notes",
                columns: new[] { "CaseId", "CreatedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_CaseId_Status",
                table: "Notifications",
                columns: new[] { "CaseId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_DeliveryKey",
                table: "Notifications",
                column: "DeliveryKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_RecipientUserId_Channel_Status_DeliveredAtUtc",
                table: "Notifications",
                columns: new[] { "RecipientUserId", "Channel", "Status", "DeliveredAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_Status_DeliverAfterUtc",
                table: "Notifications",
                columns: new[] { "Status", "DeliverAfterUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PaternityClaims_CaseId",
                table: "PaternityClaims",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_PaternityClaims_ChildId",
                table: "PaternityClaims",
                column: "ChildId");

            migrationBuilder.CreateIndex(
                name: "IX_PaternityClaims_CountryCode_Status_LastMovementAtUtc_CaseId",
                table: "PaternityClaims",
                columns: new[] { "CountryCode", "Status", "LastMovementAtUtc", "CaseId" });

            migrationBuilder.CreateIndex(
                name: "IX_PaternityClaims_LegalAidReferralId",
                table: "PaternityClaims",
                column: "LegalAidReferralId");

            migrationBuilder.CreateIndex(
                name: "IX_PaternityClaims_Status_LastMovementAtUtc",
                table: "PaternityClaims",
                columns: new[] { "Status", "LastMovementAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonMessages_CaseId_SentAtUtc",
                table: "PersonMessages",
                columns: new[] { "CaseId", "SentAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_PlanGoals_CaseId",
                table: "PlanGoals",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_CaseId_Status_Type",
                table: "Referrals",
                columns: new[] { "CaseId", "Status", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_GoalId",
                table: "Referrals",
                column: "GoalId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_ProviderId",
                table: "Referrals",
                column: "ProviderId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SentAtUtc_CountryCode_Type_Status_CaseId_AcceptedAtUtc",
                table: "Referrals",
                columns: new[] { "SentAtUtc", "CountryCode", "Type", "Status", "CaseId", "AcceptedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_Status_AcceptanceDueAtUtc",
                table: "Referrals",
                columns: new[] { "Status", "AcceptanceDueAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_SavedQueues_OwnerUserId_Name",
                table: "SavedQueues",
                columns: new[] { "OwnerUserId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServiceProviders_CountryCode_IsActive_Name",
                table: "ServiceProviders",
                columns: new[] { "CountryCode", "IsActive", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_StaffSessions_UserId",
                table: "StaffSessions",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AspNetRoleClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserClaims");

            migrationBuilder.DropTable(
                name: "AspNetUserLogins");

            migrationBuilder.DropTable(
                name: "AspNetUserRoles");

            migrationBuilder.DropTable(
                name: "AspNetUserTokens");

            migrationBuilder.DropTable(
                name: "AssessedNeeds");

            migrationBuilder.DropTable(
                name: "AssessmentVersions");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "CaseConsents");

            migrationBuilder.DropTable(
                name: "CaseKeys");

            migrationBuilder.DropTable(
                name: "CaseNumberSequences");

            migrationBuilder.DropTable(
                name: "CaseStatusChanges");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "DocumentContents");

            migrationBuilder.DropTable(
                name: "Drafts");

            migrationBuilder.DropTable(
                name: "FollowUpMoves");

            migrationBuilder.DropTable(
                name: "IdentityRecords");

            migrationBuilder.DropTable(
                name: "IntakeAdditions");

            migrationBuilder.DropTable(
                name: "KeyRingCanaries");

            migrationBuilder.DropTable(
                name: "NodeHeartbeats");

            migrationBuilder.DropTable(
                name: "Notes");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "PaternityClaimStatusChanges");

            migrationBuilder.DropTable(
                name: "PersonMessages");

            migrationBuilder.DropTable(
                name: "ReferralStatusChanges");

            migrationBuilder.DropTable(
                name: "ReminderScanState");

            migrationBuilder.DropTable(
                name: "SavedQueues");

            migrationBuilder.DropTable(
                name: "StaffSessions");

            migrationBuilder.DropTable(
                name: "AspNetRoles");

            migrationBuilder.DropTable(
                name: "Assessments");

            migrationBuilder.DropTable(
                name: "CaseDocuments");

            migrationBuilder.DropTable(
                name: "FollowUps");

            migrationBuilder.DropTable(
                name: "PaternityClaims");

            migrationBuilder.DropTable(
                name: "AspNetUsers");

            migrationBuilder.DropTable(
                name: "Children");

            migrationBuilder.DropTable(
                name: "Referrals");

            migrationBuilder.DropTable(
                name: "PlanGoals");

            migrationBuilder.DropTable(
                name: "ServiceProviders");

            migrationBuilder.DropTable(
                name: "Cases");

            migrationBuilder.DropTable(
                name: "IntakeSubmissions");

            migrationBuilder.DropTable(
                name: "Countries");
        }
    }
}
